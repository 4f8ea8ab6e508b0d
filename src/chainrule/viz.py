"""Draw the graph autograd recorded behind a tensor, as micrograd's ``draw_dot`` and DeZero's
``plot_dot_graph`` do: one box per tensor, one ellipse per Function, arrows in the direction
of the forward pass.

The DOT text needs nothing but chainrule. Rendering it needs the ``graphviz`` Python package
and Graphviz's ``dot`` program; without them the graph still prints as DOT text.

    >>> import numpy as np
    >>> import chainrule as cr
    >>> w = cr.tensor(np.array([[0.5, -1.0]]), requires_grad=True)
    >>> x = cr.tensor(np.array([[1.0, 2.0], [3.0, 4.0]]))
    >>> g = graph(((x @ w.T) ** 2).mean(), names={"w": w, "x": x})
    >>> len(g.functions), len(g.tensors)
    (4, 6)
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from .autograd.tensor import Tensor
from .errors import GraphError

_SMALL = 4  # tensors with at most this many elements show their values, not just a norm


@dataclass
class Graph:
    """The recorded graph behind one tensor, with dL/d(tensor) for each tensor when the root is
    a scalar. ``source`` is DOT text; in Jupyter the graph shows as SVG when ``dot`` is there."""

    tensors: dict[int, Tensor] = field(default_factory=dict)
    functions: dict[int, object] = field(default_factory=dict)
    edges: list[tuple[int, int]] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    grads: dict[int, np.ndarray] = field(default_factory=dict)
    root: int = 0

    @property
    def source(self) -> str:
        number = {key: i for i, key in enumerate([*self.tensors, *self.functions])}
        lines = [
            "digraph chainrule {",
            "  rankdir=LR;",
            '  node [fontname="Helvetica", fontsize=10];',
        ]
        for key, tensor in self.tensors.items():
            lines.append(
                f'  n{number[key]} [shape=record, label="{_tensor_label(self, key, tensor)}"];'
            )
        for key, function in self.functions.items():
            lines.append(
                f'  n{number[key]} [shape=ellipse, style=filled, fillcolor="#dde8f5", '
                f'label="{type(function).__name__}"];'
            )
        lines += [f"  n{number[a]} -> n{number[b]};" for a, b in self.edges]
        lines.append("}")
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.source

    def svg(self) -> str:
        """The graph rendered by Graphviz, as SVG text."""
        return _graphviz_source(self.source).pipe(format="svg").decode("utf-8")

    def render(self, path: str, format: str = "svg") -> str:
        """Write the rendered graph to ``path`` (``path`` plus ``.svg`` or ``.png``); returns the file."""
        return _graphviz_source(self.source).render(
            outfile=f"{path}.{format}", format=format, cleanup=True
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        try:
            return {"image/svg+xml": self.svg()}
        except (ImportError, RuntimeError) as error:
            return {"text/plain": f"{error}\n\n{self.source}"}


def graph(root: Tensor, names: Mapping[str, Tensor] | None = None, grads: bool = True) -> Graph:
    """Walk the graph behind ``root``. ``names`` labels tensors (``{"theta": model.weight}``).

    Call it before ``loss.backward()`` (which frees the graph) or after
    ``backward(retain_graph=True)``. With ``grads=True`` and a one-element root, each tensor is
    labelled with the gradient the backward pass sends it (computed here, leaving ``.grad`` alone).
    """
    if not isinstance(root, Tensor):
        raise TypeError(f"viz.graph: expected a Tensor, got {type(root).__name__}.")
    g = Graph(root=id(root))
    g.names = {id(t): name for name, t in (names or {}).items()}
    order: list[Tensor] = []
    stack = [root]
    while stack:
        tensor = stack.pop()
        if id(tensor) in g.tensors:
            continue
        g.tensors[id(tensor)] = tensor
        order.append(tensor)
        function = tensor.grad_fn
        if function is None:
            continue
        if function.freed:
            raise GraphError(
                f"viz.graph: expected a graph that backward has not freed, got {type(function).__name__} "
                f"freed.\nHint: draw before loss.backward(), or call loss.backward(retain_graph=True)."
            )
        g.functions[id(function)] = function
        g.edges.append((id(function), id(tensor)))
        for parent in function.inputs:
            if parent is not None:
                g.edges.append((id(parent), id(function)))
                stack.append(parent)
    if grads and root.requires_grad and root.detach().numpy().size == 1:
        g.grads = _gradients(root)
    return g


def _gradients(root: Tensor) -> dict[int, np.ndarray]:
    """dL/d(tensor) for every tensor reached, by the same per-Function backward the engine calls."""
    grads = {id(root): np.ones_like(root.detach().numpy())}
    for node in topological_order(root):
        function = node.grad_fn
        grad_node = grads.get(id(node))
        if function is None or grad_node is None:
            continue
        grads_in = function.backward(function, grad_node)
        if type(grads_in) is not tuple:
            grads_in = (grads_in,)
        for parent, grad_parent in zip(function.inputs, grads_in):
            if parent is None or grad_parent is None or not parent.requires_grad:
                continue
            previous = grads.get(id(parent))
            grads[id(parent)] = grad_parent if previous is None else previous + grad_parent
    return grads


def _tensor_label(g: Graph, key: int, tensor: Tensor) -> str:
    array = tensor.detach().numpy()
    shape = (
        "(" + ", ".join(str(n) for n in array.shape) + ")"
        if array.ndim != 1
        else f"({array.shape[0]},)"
    )
    name = g.names.get(key, "loss" if key == g.root else "")
    fields = [f"{name} {shape} {array.dtype}".strip()]
    if array.size <= _SMALL:
        fields.append("data " + _values(array))
    grad = g.grads.get(key)
    if grad is not None:
        fields.append(
            "grad " + (_values(grad) if grad.size <= _SMALL else f"norm {np.linalg.norm(grad):.4g}")
        )
    elif tensor.grad is not None:
        stored = np.asarray(tensor.grad)
        fields.append(
            ".grad "
            + (_values(stored) if stored.size <= _SMALL else f"norm {np.linalg.norm(stored):.4g}")
        )
    return "{" + "|".join(_escape(f) for f in fields) + "}"


def _values(array: np.ndarray) -> str:
    return np.array2string(np.asarray(array), precision=4, separator=", ").replace("\n", "")


def _escape(text: str) -> str:
    """Characters a record label gives a meaning to."""
    for character in '\\{}|<>"':
        text = text.replace(character, "\\" + character)
    return text


def _graphviz_source(source: str):
    try:
        import graphviz
    except ImportError:
        raise ImportError(
            "chainrule.viz: expected the graphviz package to be installed, got none.\n"
            "Hint: pip install 'chainrule[viz]' (or pip install graphviz), and install Graphviz's "
            "dot program (apt install graphviz, brew install graphviz); print(graph) shows the DOT text."
        ) from None
    if shutil.which("dot") is None:
        raise RuntimeError(
            "chainrule.viz: expected Graphviz's dot program on the PATH, got none.\n"
            "Hint: apt install graphviz (or brew install graphviz, conda install graphviz); "
            "print(graph) shows the DOT text meanwhile."
        )
    return graphviz.Source(source)


def topological_order(root: Tensor) -> list[Tensor]:
    """Every tensor behind ``root`` that needs a gradient, each after all tensors computed
    from it (root first, leaves last). The engine orders by Function sequence numbers
    instead; drawing walks a graph that may be partly freed, so it sorts for itself.

    An iterative depth-first search: a node is placed when it is met the second time, once
    all its parents are placed, so deep graphs do not hit Python's recursion limit.
    """
    order: list[Tensor] = []
    visited: set[int] = set()
    placed: set[int] = set()
    stack: list[Tensor] = [root]
    while stack:
        node = stack[-1]
        if id(node) in visited:
            stack.pop()
            if id(node) not in placed:
                placed.add(id(node))
                order.append(node)
            continue
        visited.add(id(node))
        ctx = node._ctx
        if ctx is not None and not ctx.freed:
            for parent in ctx.inputs:
                if parent is not None and parent.requires_grad and id(parent) not in visited:
                    stack.append(parent)
    order.reverse()
    return order
