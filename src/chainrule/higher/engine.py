"""create_graph=True: backward with Tensors, so the gradients it returns have a graph too.

The ordinary engine (autograd/engine.py) runs each Function's backward on ndarrays and keeps
no record of it: that is what makes a first derivative cheap. Here every node's gradient is a
Tensor and each op's backward is its rule from ``rules.RULES``, written with chainrule's own
differentiable ops on the op's input Tensors, run with grad mode on; the result records every
step, so it can be differentiated again (a gradient penalty, a Hessian-vector product, MAML).
The walk is the ordinary engine's: newest Function first, a node once all its gradient is in.
"""

from __future__ import annotations

import heapq
import warnings
from typing import Any

import numpy as np

from ..autograd import backward_checks as refuse
from ..autograd.function import FREED
from ..autograd.grad_mode import _Mode, enable_grad
from ..autograd.hooks import RETAIN
from ..autograd.tensor import Tensor
from ..errors import GraphError, ShapeError
from ..functional.selection import Clone
from .rules import RULES, rule, rule_for

_CYCLE = (
    "Using backward() with create_graph=True will create a reference cycle between the "
    "parameter and its gradient which can cause a memory leak. We recommend using "
    "autograd.grad when creating the graph to avoid this. If you have to use this function, "
    "make sure to reset the .grad fields of your parameters to None after use to break the "
    "cycle and avoid the leak."
)


def backward(root: Tensor, gradient: Any, retain_graph: bool) -> None:
    """Tensor.backward(create_graph=True): each leaf's ``.grad`` becomes a Tensor with a graph
    (added out of place to one already there), as in torch; torch's warning about the
    parameter-gradient reference cycle comes with it."""
    grads = run([root], [gradient], retain_graph, ())
    cycle = False
    for leaf, grad in grads.items():
        store(leaf, grad)
        cycle = cycle or grad._ctx is not None
    if cycle:
        warnings.warn(_CYCLE, UserWarning, stacklevel=3)


def run(
    roots: list[Tensor], gradients: list[Any], retain_graph: bool, wanted: tuple
) -> dict[Tensor, Tensor]:
    """d(sum of roots . gradients)/d(node) as Tensors: for every leaf that requires grad, and
    for each tensor in ``wanted`` (taken when its gradient is complete, so non-leaves too)."""
    if _Mode.capture is not None:
        raise GraphError(
            "backward: expected create_graph=False inside a CPUGraph capture, got True.\n"
            "Hint: a replay runs NumPy calls fixed at capture and records no graph; capture "
            "the first-order step, or run the double-backward step eagerly."
        )
    grads: dict[Tensor, Tensor] = {}
    heap: list = []
    leaves: list[Tensor] = []
    for root, gradient in zip(roots, gradients):
        _arrive(root, _seed(root, gradient), grads, heap, leaves)
    wanted_ids = {id(t) for t in wanted}
    found: dict[Tensor, Tensor] = {}
    with enable_grad():
        while heap:
            node = heapq.heappop(heap)[2]
            grad = _hooked(node, grads.pop(node))
            if id(node) in wanted_ids:
                found[node] = grad
            ctx = node._ctx
            for counter, version in ctx.versions:
                if counter[0] != version:
                    refuse.modified(ctx)
            grads_in = rule_for(ctx)(ctx, node, grad)
            if type(grads_in) is not tuple:
                grads_in = (grads_in,)
            for parent, grad_parent in zip(ctx.inputs, grads_in):
                if grad_parent is not None and parent is not None and parent._rg:
                    _arrive(parent, grad_parent, grads, heap, leaves)
            if not retain_graph:
                ctx.__dict__.clear()
                ctx.versions = FREED
    for leaf in leaves:
        found[leaf] = _hooked(leaf, grads.pop(leaf))
    return found


def _arrive(node: Tensor, grad: Tensor, grads: dict, heap: list, leaves: list) -> None:
    """Add one path's gradient into the node's; a node new to the walk is queued."""
    if grad._data.shape != node._data.shape:  # a rule's bug, named rather than broadcast
        raise ShapeError(
            f"backward(create_graph=True): expected a gradient of shape {node._data.shape} "
            f"for a {type(node._ctx).__name__ if node._ctx else 'leaf'} tensor, got "
            f"{grad._data.shape}."
        )
    if node in grads:
        grads[node] = grads[node] + grad
        return
    grads[node] = grad
    if node._ctx is None:
        leaves.append(node)
    else:
        heapq.heappush(heap, (-node._ctx.seq, id(node), node))


def _seed(root: Tensor, gradient: Any) -> Tensor:
    """The root's gradient: ones, or the one given, kept with its graph when it has one."""
    array = refuse.root_gradient(root, gradient)
    if isinstance(gradient, Tensor) and gradient._rg and gradient._data.dtype == array.dtype:
        return gradient
    return Tensor._wrap(array)


def _hooked(tensor: Tensor, grad: Tensor) -> Tensor:
    """The gradient after the tensor's hooks (each sees, and may replace, the Tensor); a
    non-leaf that called retain_grad() keeps it as ``.grad``."""
    for hook in list(tensor._hooks or ()):
        if hook is RETAIN:
            continue
        result = hook(grad)
        if result is not None:
            if not isinstance(result, Tensor) or result.shape != grad.shape:
                raise GraphError(
                    "Tensor.register_hook: expected the hook to return None or a Tensor of "
                    f"shape {tuple(grad.shape)}, got {type(result).__name__}."
                )
            grad = result
    if tensor._ctx is not None and RETAIN in (tensor._hooks or ()):
        store(tensor, grad)
    return grad


# Whether any tensor has a ``_graph_grad`` yet: until then ``Tensor.grad`` skips looking for
# one (reading an unset slot raises inside getattr, 0.5 us on every .grad read).
stored_any = False


class Copy(Clone):
    """The copy a first graph gradient is stored as, named as torch names it (``CopyBackwards``:
    its AccumulateGrad copies the gradient into a new tensor under the layout contract)."""

    def __repr__(self) -> str:
        return "<CopyBackwards>"

    def name(self) -> str:
        return "torch::autograd::CopyBackwards"


rule(Copy)(RULES[Clone])


def store(tensor: Tensor, grad: Tensor) -> None:
    """Add a gradient into ``.grad`` out of place, keeping both graphs: as torch, ``.grad``
    becomes a new Tensor ``.grad + grad`` (AddBackward0), so an earlier create_graph .grad keeps
    its graph inside the sum. (``Tensor.grad`` returns ``_graph_grad`` while it still holds the
    stored array.) The array is the .grad's own, as in the ordinary engine's store_all: a later
    in-place accumulation shows up nowhere else."""
    with enable_grad():
        if tensor._grad is not None:
            graph = getattr(tensor, "_graph_grad", None)
            if graph is None or graph._data is not tensor._grad:
                graph = Tensor._wrap(tensor._grad)
            grad = graph + grad
        elif grad._ctx is None:
            grad = Tensor._wrap(np.array(grad._data))
        else:
            grad = Copy.apply(grad)
    global stored_any
    tensor._grad = grad._data
    tensor._graph_grad = grad if grad._ctx is not None else None
    stored_any = True
