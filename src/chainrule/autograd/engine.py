"""Reverse-mode differentiation: one topological sort, then each Function's backward once."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import shape_str
from ..errors import GraphError, ShapeError
from .grad_mode import _Mode
from .tensor import Tensor


def topological_order(root: Tensor) -> list[Tensor]:
    """Tensors that need a gradient, each after every tensor computed from it (root first)."""
    order: list[Tensor] = []
    visited: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        ctx = node._ctx
        if ctx is not None and not getattr(ctx, "freed", False):
            for parent in ctx.inputs:
                if parent is not None and parent.requires_grad and id(parent) not in visited:
                    stack.append((parent, False))
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
        if getattr(ctx, "freed", False):
            raise GraphError(
                f"backward: expected a graph that is still alive, got {type(ctx).__name__} whose "
                f"saved arrays were freed by an earlier backward.\nHint: pass "
                f"retain_graph=True to the first backward() if you need to go through it twice."
            )
        grads_in = type(ctx).backward(ctx, grad_node)
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
        return np.ones_like(root.data)
    grad = np.array(grad.data if isinstance(grad, Tensor) else grad, dtype=root.data.dtype)
    if grad.shape != root.data.shape:
        raise ShapeError(
            f"backward: expected a gradient of shape {shape_str(root.data.shape)}, got "
            f"{shape_str(grad.shape)}."
        )
    return grad


def _accumulate_leaf(leaf: Tensor, grad: np.ndarray, stored: set[int]) -> None:
    """Add into ``leaf.grad`` in place; a new .grad never shares memory with another."""
    if leaf.grad is None:
        if id(grad) in stored or grad.base is not None or not grad.flags.writeable:
            grad = grad.copy()
        stored.add(id(grad))
        leaf.grad = grad
    else:
        leaf.grad += grad
