"""torch's view of the backward graph from a ``grad_fn``: ``next_functions``, ``name()`` and the
``AccumulateGrad`` node of a leaf, as the "Neural Networks" tutorial walks them. Bound onto
Function from outside autograd/ (which keeps a line budget)."""

from __future__ import annotations

from typing import Any

from .autograd.function import Function


class AccumulateGrad:
    """The node that adds a leaf's gradient into its ``.grad``; ``variable`` is the leaf."""

    next_functions: tuple = ()

    def __init__(self, variable: Any) -> None:
        self.variable = variable

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {id(self):#x}>"


def next_functions(node: Any) -> tuple[tuple[Any, int], ...]:
    """(node, 0) per tensor input: the Function that made it, AccumulateGrad for a leaf that
    requires grad, else None. Empty once backward has freed the node (torch keeps them)."""
    pairs = []
    for tensor in node.__dict__.get("inputs") or ():
        if tensor is None:  # a number, not a tensor: torch lists tensors only
            continue
        if tensor._ctx is not None:
            pairs.append((tensor._ctx, 0))
        else:
            pairs.append((AccumulateGrad(tensor) if tensor.requires_grad else None, 0))
    return tuple(pairs)


def _name(node: Any) -> str:
    return f"{type(node).__name__}Backward0"


Function.next_functions = property(next_functions)
if "name" not in Function.__dict__:
    Function.name = _name
Function.__repr__ = lambda node: f"<{_name(node)} object at {id(node):#x}>"
