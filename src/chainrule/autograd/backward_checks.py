"""What backward refuses, each with the error that explains it; the engine calls these only
when something is already wrong, so its loop stays the chain rule and nothing else."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, shape_str
from ..errors import GraphError, ShapeError
from ..inplace_history import reroute
from .function import FREED, _check_finite
from .tensor import Tensor


def root_gradient(root: Tensor, grad: Any) -> np.ndarray:
    """The gradient backward starts from: ones for a scalar loss, else the one the caller gave."""
    if not root._rg:
        raise GraphError(
            "backward: expected a tensor that requires grad, got one that does not.\n"
            "Hint: set requires_grad=True on the leaves (nn.Parameter does this), and do not "
            "compute the loss inside no_grad()."
        )
    if grad is None:
        if root._data.size != 1:
            raise GraphError(
                f"backward: expected a scalar (one-element) tensor when no gradient is given, "
                f"got shape {shape_str(root._data.shape)}.\nHint: reduce it first (.sum() or "
                f".mean()), or pass backward(gradient) with a tensor of that shape."
            )
        one = np.array(1, dtype=root._data.dtype)  # (np.ones is a Python function: 4x the cost)
        return one if root._data.ndim == 0 else one.reshape(root._data.shape)
    if isinstance(grad, Tensor):
        grad = grad._data
    else:
        if isinstance(grad, (list, tuple, str, dict)):  # torch: "gradients can be ... Tensors"
            check_tensor("backward", grad, "gradient")
        grad = np.asarray(grad)
    if grad.shape != root._data.shape:
        raise ShapeError(
            f"backward: expected a gradient of shape {shape_str(root._data.shape)}, got "
            f"{shape_str(grad.shape)}."
        )
    # A copy in the root's dtype: a leaf's .grad may end up holding it, and must not be the
    # caller's array (astype does it in fewer instructions than np.array(..., dtype=)).
    return grad.astype(root._data.dtype)


def freed(ctx: Any) -> None:
    raise GraphError(
        f"backward: expected a graph that is still alive, got {type(ctx).__name__} whose "
        f"saved arrays were freed by an earlier backward.\nHint: pass retain_graph=True to "
        f"the first backward() if you need to go through it twice."
    )


def modified(ctx: Any, node: Any = None) -> None:
    """Name the saved tensor an in-place op overwrote since forward (see autograd/inplace.py)."""
    if ctx.versions is FREED:
        freed(ctx)
    if node is not None and reroute(ctx, node):  # it saved none of it: the old history serves
        return
    # the pairs are the tensor inputs' in order (numbers have none), then the output's
    tensors = [(i, t) for i, t in enumerate(ctx.inputs) if t is not None]
    for k, (counter, version) in enumerate(ctx.versions):
        if counter[0] != version:
            i, t = tensors[k] if k < len(tensors) else (None, None)
            what = "its output" if t is None else f"input {i} of shape {shape_str(t._data.shape)}"
            raise GraphError(
                f"backward: expected the tensors {type(ctx).__name__} saved unchanged since forward, "
                f"got {what} modified by an in-place operation (version {counter[0]}, recorded at "
                f"{version}).\nHint: use an out-of-place op (x = x + y instead of x += y), or call "
                f"backward before optimizer.step() or any other in-place update."
            )


def gradients(ctx: Any, grads_in: tuple, anomaly: bool) -> None:
    """One gradient per input (extra ones only None), each of its input's shape; under
    detect_anomaly, all finite."""
    n = len(ctx.inputs)
    if len(grads_in) < n or any(g is not None for g in grads_in[n:]):
        raise GraphError(
            f"{type(ctx).__name__}.backward: expected {n} gradients (one per "
            f"input of forward, None where there is none), got {len(grads_in)}."
            + ("" if len(grads_in) < n else " (extra ones may only be None)")
        )
    for parent, grad in zip(ctx.inputs, grads_in):
        if grad is None or parent is None or not parent._rg:
            continue
        if not isinstance(grad, np.ndarray):
            raise GraphError(
                f"{type(ctx).__name__}.backward: expected an array (or None) for each gradient, "
                f"got {type(grad).__name__}.\nHint: return an array of the input's shape, e.g. "
                f"np.full(x.shape, value)."
            )
        if grad.shape != parent._data.shape:
            raise ShapeError(
                f"{type(ctx).__name__}.backward: expected a gradient of shape "
                f"{shape_str(parent._data.shape)}, got {shape_str(grad.shape)}."
            )
    if anomaly:
        _check_finite(
            type(ctx).__name__,
            "backward",
            tuple(g for g in grads_in if g is not None),
            [t._data if t is not None else None for t in ctx.inputs],
        )
