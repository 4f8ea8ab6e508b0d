"""Reverse-mode differentiation: each Function's backward once, newest first."""

from __future__ import annotations

import heapq
from typing import Any

import numpy as np

from .._checks import shape_str
from ..errors import GraphError, ShapeError
from .grad_mode import _Mode
from .tensor import Tensor


def run_backward(root: Tensor, grad: Any, retain_graph: bool) -> None:
    """Propagate d(root)/d(node) through the graph, one table entry per node, then write
    each leaf's ``.grad`` once.

    Nodes wait in a heap keyed by their Function's sequence number, newest first. Every
    consumer of a node was created after it, so by the time a node comes off the heap all
    the gradients it will receive have arrived: one pass, no separate sort (torch orders
    its ready queue by sequence number the same way).
    """
    if not root.requires_grad:
        raise GraphError(
            "backward: expected a tensor that requires grad, got one that does not.\n"
            "Hint: set requires_grad=True on the leaves (nn.Parameter does this), and do not "
            "compute the loss inside no_grad()."
        )
    root_grad = _root_gradient(root, grad)
    grads: dict[int, np.ndarray] = {id(root): root_grad}
    finished: list[tuple[Tensor, np.ndarray]] = []
    leaves: list[Tensor] = []
    heap: list = []
    if root._ctx is None:
        leaves.append(root)
    else:
        heap.append((-root._ctx.seq, id(root), root))
    # Inside a CPUGraph capture, the schedule is written down as it runs: slot numbers stand
    # for the gradient table's entries (see graph_capture.py).
    capture = _Mode.capture
    if capture is not None:
        slot, plan, stores = {id(root): 0}, [], []
    anomaly = _Mode.anomaly
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        _, key, node = pop(heap)
        grad_node = grads.pop(key)
        ctx = node._ctx
        if node._retains_grad:
            finished.append((node, grad_node))
        if ctx.freed:
            _freed(ctx)
        inputs = ctx.inputs
        for counter, version in ctx.versions:
            if counter[0] != version:
                _modified(ctx)
        grads_in = ctx.backward(ctx, grad_node)  # a staticmethod, so ctx is passed explicitly
        if type(grads_in) is not tuple:
            grads_in = (grads_in,)
        if len(grads_in) != len(inputs):
            _check_count(ctx, grads_in)
        if anomaly:
            from .function import _check_finite

            _check_finite(
                type(ctx).__name__,
                "backward",
                tuple(g for g in grads_in if g is not None),
                [t._data if t is not None else None for t in inputs],
            )
        if capture is not None:
            flows: list = []
            plan.append((ctx, ctx.backward, slot[key], flows))
        position = -1
        for parent, grad_parent in zip(inputs, grads_in):
            position += 1
            if grad_parent is None or parent is None or not parent.requires_grad:
                continue
            if grad_parent.shape != parent._data.shape:
                raise ShapeError(
                    f"{type(ctx).__name__}.backward: expected a gradient of shape "
                    f"{shape_str(parent._data.shape)}, got {shape_str(grad_parent.shape)}."
                )
            parent_key = id(parent)
            previous = grads.get(parent_key)
            if previous is None:
                grads[parent_key] = grad_parent
                parent_ctx = parent._ctx
                if parent_ctx is None:
                    leaves.append(parent)
                else:
                    push(heap, (-parent_ctx.seq, parent_key, parent))
            else:
                grads[parent_key] = previous + grad_parent
            if capture is not None:
                flows.append((position, slot.setdefault(parent_key, len(slot)), previous is None))
        if not retain_graph:
            ctx.release()
    for leaf in leaves:
        finished.append((leaf, grads.pop(id(leaf))))
    stored: set[int] = set()
    for tensor, grad_tensor in finished:
        accumulate = tensor._grad is not None
        _store(tensor, grad_tensor, stored)
        if capture is not None:
            stores.append((tensor, tensor._grad, accumulate, slot[id(tensor)]))
    if capture is not None:
        capture.backward(plan, root_grad, stores)


def _freed(ctx: Any) -> None:
    raise GraphError(
        f"backward: expected a graph that is still alive, got {type(ctx).__name__} whose "
        f"saved arrays were freed by an earlier backward.\nHint: pass retain_graph=True to "
        f"the first backward() if you need to go through it twice."
    )


def _modified(ctx: Any) -> None:
    for position, (counter, version) in enumerate(ctx.versions):
        if counter[0] != version:
            shapes = [t._data.shape for t in ctx.inputs if t is not None]
            what = (
                f"input {position} of shape {shape_str(shapes[position])}"
                if position < len(shapes)
                else "its output"
            )
            raise GraphError(
                f"backward: expected the tensors {type(ctx).__name__} saved unchanged since forward, "
                f"got {what} modified by an in-place operation (version {counter[0]}, recorded at "
                f"{version}).\nHint: use an out-of-place op (x = x + y instead of x += y), or call "
                f"backward before optimizer.step() or any other in-place update."
            )


def _check_count(ctx: Any, grads_in: tuple) -> None:
    n = len(ctx.inputs)
    if len(grads_in) < n or any(g is not None for g in grads_in[n:]):
        raise GraphError(
            f"{type(ctx).__name__}.backward: expected {n} gradients (one per "
            f"input of forward, None where there is none), got {len(grads_in)}."
            + ("" if len(grads_in) < n else " (extra ones may only be None)")
        )


def _store(tensor: Tensor, grad: np.ndarray, stored: set[int]) -> None:
    """Add a finished gradient into ``tensor``'s .grad, in place when one is already there.

    A new .grad must own its memory: an array that another .grad of this pass already holds,
    a view of one, or a read-only constant is copied, so a later in-place accumulation into
    one .grad never shows up in another.
    """
    if tensor._grad is not None:
        tensor._grad += grad
        return
    if type(grad) is not np.ndarray:  # a NumPy scalar from a 0-d product
        grad = np.array(grad)
    elif id(grad) in stored or not grad.flags.owndata or not grad.flags.writeable:
        grad = grad.copy()
    stored.add(id(grad))
    tensor._grad = grad


def _root_gradient(root: Tensor, grad: Any) -> np.ndarray:
    if grad is None:
        if root._data.size != 1:
            raise GraphError(
                f"backward: expected a scalar (one-element) tensor when no gradient is given, "
                f"got shape {shape_str(root._data.shape)}.\nHint: reduce it first (.sum() or "
                f".mean()), or pass backward(gradient) with a tensor of that shape."
            )
        return np.ones(root._data.shape, dtype=root._data.dtype)
    grad = np.array(grad._data if isinstance(grad, Tensor) else grad, dtype=root._data.dtype)
    if grad.shape != root._data.shape:
        raise ShapeError(
            f"backward: expected a gradient of shape {shape_str(root._data.shape)}, got "
            f"{shape_str(grad.shape)}."
        )
    return grad
