"""Reverse-mode differentiation: one topological sort, then each Function's backward once."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import shape_str
from ..errors import GraphError, ShapeError
from .grad_mode import _Mode
from .tensor import Tensor


def topological_order(root: Tensor) -> list[Tensor]:
    """Computed tensors that need a gradient, each after every tensor computed from it (root
    first). Leaves are left out: they receive their gradients as soon as they are made.

    An iterative depth-first search: a node is placed when it is met the second time, once
    all its parents are placed, so deep graphs do not hit Python's recursion limit.
    """
    order: list[Tensor] = []
    visited: set[int] = set()
    placed: set[int] = set()
    stack: list[Tensor] = [root]
    while stack:
        node = stack[-1]
        key = id(node)
        if key in visited:
            stack.pop()
            if key not in placed:
                placed.add(key)
                order.append(node)
            continue
        visited.add(key)
        ctx = node._ctx
        if ctx is not None and not ctx.freed:
            for parent in ctx.inputs:
                if (parent is not None and parent._ctx is not None and parent.requires_grad
                        and id(parent) not in visited):
                    stack.append(parent)
    order.reverse()
    return order


def run_backward(root: Tensor, grad: Any, retain_graph: bool) -> None:
    if not root.requires_grad:
        raise GraphError(
            "backward: expected a tensor that requires grad, got one that does not.\n"
            "Hint: set requires_grad=True on the leaves (nn.Parameter does this), and do not "
            "compute the loss inside no_grad()."
        )
    grad_root = _root_gradient(root, grad)
    grads: dict[int, np.ndarray] = {id(root): grad_root}
    stored: set[int] = {id(grad_root)}
    anomaly = _Mode.anomaly
    for node in topological_order(root):
        grad_node = grads.pop(id(node), None)
        if grad_node is None:
            continue
        ctx = node._ctx
        if ctx is None:
            _accumulate_leaf(node, grad_node, stored)
            continue
        if ctx.freed:
            raise GraphError(
                f"backward: expected a graph that is still alive, got {type(ctx).__name__} whose "
                f"saved arrays were freed by an earlier backward.\nHint: pass "
                f"retain_graph=True to the first backward() if you need to go through it twice."
            )
        grads_in = ctx.backward(ctx, grad_node)  # a staticmethod, so ctx is passed explicitly
        if type(grads_in) is not tuple:
            grads_in = (grads_in,)
        if anomaly:
            from .function import _check_finite

            _check_finite(type(ctx).__name__, "backward", tuple(g for g in grads_in if g is not None),
                          [t.data if t is not None else None for t in ctx.inputs])
        for parent, grad_parent in zip(ctx.inputs, grads_in):
            if grad_parent is None or parent is None or not parent.requires_grad:
                continue
            if grad_parent.shape != parent.data.shape:
                raise ShapeError(
                    f"{type(ctx).__name__}.backward: expected a gradient of shape "
                    f"{shape_str(parent.data.shape)}, got {shape_str(grad_parent.shape)}."
                )
            if parent._ctx is None:
                _accumulate_leaf(parent, grad_parent, stored)
                continue
            key = id(parent)
            previous = grads.get(key)
            grads[key] = grad_parent if previous is None else previous + grad_parent
        if not retain_graph:
            ctx.release()


def _root_gradient(root: Tensor, grad: Any) -> np.ndarray:
    if grad is None:
        if root.data.size != 1:
            raise GraphError(
                f"backward: expected a scalar (one-element) tensor when no gradient is given, "
                f"got shape {shape_str(root.data.shape)}.\nHint: reduce it first (.sum() or "
                f".mean()), or pass backward(grad) with an array of that shape."
            )
        if root.data.ndim == 0:
            return _scalar_one(root.data.dtype)
        return np.ones(root.data.shape, dtype=root.data.dtype)
    grad = np.array(grad.data if isinstance(grad, Tensor) else grad, dtype=root.data.dtype)
    if grad.shape != root.data.shape:
        raise ShapeError(
            f"backward: expected a gradient of shape {shape_str(root.data.shape)}, got "
            f"{shape_str(grad.shape)}."
        )
    return grad


_ONES: dict = {}


def _scalar_one(dtype: np.dtype) -> np.ndarray:
    """A shared, read-only 1 of this dtype: d(loss)/d(loss). Never written (leaves copy it)."""
    one = _ONES.get(dtype)
    if one is None:
        one = _ONES[dtype] = np.ones((), dtype=dtype)
        one.flags.writeable = False
    return one


def _accumulate_leaf(leaf: Tensor, grad: np.ndarray, stored: set[int]) -> None:
    """Add a contribution into ``leaf.grad``; a new .grad never shares memory with another.

    A .grad stored during this pass may still be an array another node is waiting for, so it
    is added to out of place; one left by an earlier pass is the leaf's own and is added in place.
    """
    current = leaf.grad
    if current is None:
        if id(grad) in stored or grad.base is not None or not grad.flags.writeable:
            grad = grad.copy()
        stored.add(id(grad))
        leaf.grad = grad
    elif id(current) in stored:
        leaf.grad = current + grad
        stored.add(id(leaf.grad))
    else:
        current += grad
