"""Binary cross-entropy, on probabilities (BCE) or on logits (BCE-with-logits)."""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from .._checks import check_positive_number, check_tensor, fail_dtype, fail_shape, shape_str
from ..autograd.function import Function
from ..cpugraph.backward import fresh
from ..cpugraph.capture import refuse_frozen_target
from ..errors import ArgumentError, DTypeError
from ..zero_operand import zeros_for
from .activation import sigmoid_array
from .loss_reduction import (
    check_prediction,
    check_reduction,
    legacy_reduction,
    reduce_loss,
    target_array,
    times_upstream,
    upstream,
)
from .regression_loss import _same_shape

_TINY = {np.dtype(t): np.finfo(t).smallest_subnormal for t in (np.float16, np.float32, np.float64)}


class BCELoss(Function):
    """L = -(t log p + (1 - t) log(1 - p)); dL/dp = (p - t) / (p (1 - p)).

    With ``epsilon=None`` the logs are clamped at -100 and the denominator at 1e-12, as
    torch does, so outputs of exactly 0 or 1 stay finite. A float ``epsilon`` uses the
    notebook's form instead: log(p + eps), log(1 - p + eps). p and 1 - p sit side by side in
    one array, so each log and clamp is one NumPy call, and later passes write over it.
    """

    op = "binary_cross_entropy"

    @staticmethod
    def forward(ctx, p, t, weight, reduction, epsilon, into=None):
        both = np.empty((2, *p.shape), dtype=p.dtype)
        log_p, log_q = both[0, ...], both[1, ...]  # views, even for a 0-d p
        log_p[...] = p
        np.subtract(1, p, out=log_q)
        if epsilon is None:  # log of at least the smallest positive float: finite, no warning
            tiny = _TINY.get(p.dtype) or np.finfo(p.dtype).smallest_subnormal
            np.log(np.maximum(both, tiny, out=both), out=both)
            np.maximum(both, -100, out=both)
        else:
            both += epsilon
            with np.errstate(divide="ignore"):
                np.log(both, out=both)
        # -(t log p + (1 - t) log q) = t (log q - log p) - log q: one product, no negation
        per = np.subtract(log_q, log_p, out=log_p)
        per *= t
        per -= log_q
        if weight is not None:
            per = per * weight  # weight may broadcast to a larger shape
        loss, scale = reduce_loss(per, reduction, into=into)
        ctx.p, ctx.t, ctx.weight, ctx.scale, ctx.epsilon = p, t, weight, scale, epsilon
        return loss

    @staticmethod
    def backward(ctx, grad_y):
        p, t, eps = ctx.p, ctx.t, ctx.epsilon
        if eps is None:
            slope = np.subtract(p, t, out=...)
            denominator = np.subtract(1, p, out=...)
            denominator *= p
            slope /= np.maximum(denominator, 1e-12, out=denominator)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                slope = -t / (p + eps) + (1 - t) / (1 - p + eps)
        slope *= upstream(grad_y, ctx.scale)
        if ctx.weight is not None:
            slope = slope * ctx.weight
        return slope, None

    @staticmethod
    def replay_calls(ctx, arrays, config, out):
        """forward's passes for the plain case (torch's clamps, no weight, the mean)."""
        p, t = arrays[:2]
        if (
            config["epsilon"] is not None
            or config["weight"] is not None
            or config["reduction"] != "mean"
        ):
            return None
        both = np.empty((2, *p.shape), dtype=p.dtype)
        log_p, log_q = both[0, ...], both[1, ...]  # views, even for a 0-d p
        total, dtype = np.empty_like(out), p.dtype
        return [
            partial(np.copyto, log_p, p),
            partial(np.subtract, np.asarray(1, dtype), p, out=log_q),
            partial(
                np.maximum, both, _TINY.get(dtype) or np.finfo(dtype).smallest_subnormal, out=both
            ),
            partial(np.log, both, out=both),
            partial(np.maximum, both, np.asarray(-100, dtype), out=both),
            partial(np.subtract, log_q, log_p, out=log_p),
            partial(np.multiply, log_p, t, out=log_p),
            partial(np.subtract, log_p, log_q, out=log_p),
            partial(np.add.reduce, log_p, None, None, total),
            partial(np.divide, total, np.asarray(p.size, dtype), out=out),
        ]

    @staticmethod
    def replay_backward(ctx, grad_y, grads):
        p, t, dtype = ctx.p, ctx.t, ctx.p.dtype
        if ctx.epsilon is not None or ctx.weight is not None or ctx.scale is None:
            return None
        slope, denominator = fresh(grads[0]), np.empty_like(p)
        return [
            partial(np.subtract, p, t, out=slope),
            partial(np.subtract, np.asarray(1, dtype), p, out=denominator),
            partial(np.multiply, denominator, p, out=denominator),
            partial(np.maximum, denominator, np.asarray(1e-12, dtype), out=denominator),
            partial(np.divide, slope, denominator, out=slope),
            partial(times_upstream, slope, grad_y, ctx.scale),
        ], [slope, None]


class BCEWithLogitsLoss(Function):
    """L = (1 - t) x + c softplus(-x), c = 1 + (pos_weight - 1) t; dL/dx = c sigmoid(x) - pos_weight t.

    softplus(-x) is computed as log1p(exp(-|x|)) + max(-x, 0), finite for any finite x, with
    -|x| = min(x, -x); the passes write over their own temporaries.
    """

    op = "binary_cross_entropy_with_logits"

    @staticmethod
    def forward(ctx, x, t, weight, pos_weight, reduction, into=None):
        negative = np.negative(x, out=...)  # (out=... keeps a 0-d result an array)
        softplus_neg = np.minimum(x, negative, out=...)
        np.log1p(np.exp(softplus_neg, out=softplus_neg), out=softplus_neg)
        softplus_neg += np.maximum(negative, zeros_for(negative), out=negative)  # (SIMD loop)
        c = 1.0 if pos_weight is None else 1 + (pos_weight - 1) * t
        per = np.subtract(1, t, out=...)
        per *= x
        per += softplus_neg if pos_weight is None else c * softplus_neg
        if weight is not None:
            per = per * weight
        loss, scale = reduce_loss(per, reduction, into=into)
        ctx.x, ctx.t, ctx.c, ctx.weight = x, t, c, weight  # not ctx.save: see arithmetic.Add
        ctx.pos_weight, ctx.scale = pos_weight, scale
        return loss

    @staticmethod
    def backward(ctx, grad_y):
        grad_x = sigmoid_array(ctx.x)
        if ctx.pos_weight is None:  # c = 1
            grad_x -= ctx.t
        else:
            grad_x = ctx.c * grad_x - ctx.pos_weight * ctx.t
        grad_x *= upstream(grad_y, ctx.scale)
        if ctx.weight is not None:
            grad_x = grad_x * ctx.weight
        return grad_x, None


def _binary_targets(who: str, input: Any, target: Any):
    check_prediction(who, input)
    _same_shape(who, input, target)
    t = target_array(target)
    dtype = input._data.dtype
    if t.dtype.kind == "f" and t.dtype != dtype:
        raise DTypeError(
            f"{who}: expected targets of dtype {dtype} to match the inputs, got {t.dtype}.\n"
            f"Hint: convert with targets.astype(np.{dtype})."
        )
    if t.dtype.kind != "f" and hasattr(target, "_data"):  # torch refuses an integer Tensor
        fail_dtype(who, f"float targets of dtype {dtype}", f"dtype {t.dtype}",
                   f"convert them: target.to({dtype.name}) (or target.float()).")  # fmt: skip
    converted = t.astype(dtype, copy=False)
    if converted is not t:
        refuse_frozen_target(who)
    return converted


def _broadcasts(who: str, name: str, array: np.ndarray | None, shape: tuple) -> None:
    """A weight that does not broadcast against the input would fail inside NumPy, unnamed.
    (No weight, the common case, costs nothing: np.broadcast_shapes is 2 us a call.)"""
    if array is None or array.shape == shape:
        return
    try:
        np.broadcast_shapes(shape, array.shape)
    except ValueError:
        got = shape_str(array.shape)
        fail_shape(who, f"{name} broadcastable to the input's shape {shape_str(shape)}", got)


def binary_cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,  # noqa: A002
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    *,
    epsilon: float | None = None,
):
    """BCE on probabilities in [0, 1]; targets in [0, 1]. ``epsilon`` is chainrule's addition."""
    if size_average is not None or reduce is not None:  # torch's deprecated pair
        reduction = legacy_reduction(size_average, reduce, reduction)
    check_tensor("binary_cross_entropy", input)
    who = "binary_cross_entropy"
    check_reduction(who, reduction)
    if epsilon is not None:  # log(p + eps) with eps < 0 is NaN at p = 0; NaN makes every loss NaN
        check_positive_number(f"{who}(epsilon={epsilon!r})", "epsilon", epsilon)
    t = _binary_targets(who, input, target)
    p = input._data
    for name, values in (("targets", t), ("inputs", p)):
        if values.size and 0 <= values.min() and values.max() <= 1:  # NaN fails both tests
            continue
        outside = ~((values >= 0) & (values <= 1))
        if outside.any():
            raise ArgumentError(
                f"{who}: expected {name} in [0, 1], got {float(values[outside].flat[0])}."
                + (
                    "\nHint: pass logits to binary_cross_entropy_with_logits instead."
                    if name == "inputs"
                    else ""
                )
            )
    w = None if weight is None else np.asarray(getattr(weight, "data", weight), dtype=p.dtype)
    _broadcasts(who, "weight", w, p.shape)
    return BCELoss.apply(input, t, weight=w, reduction=reduction, epsilon=epsilon)


def binary_cross_entropy_with_logits(
    input: Any,
    target: Any,
    weight: Any = None,  # noqa: A002
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    pos_weight: Any = None,
):
    """BCE on logits: sigmoid and log fused, finite for any finite logits."""
    if size_average is not None or reduce is not None:  # torch's deprecated pair
        reduction = legacy_reduction(size_average, reduce, reduction)
    check_tensor("binary_cross_entropy_with_logits", input)
    who = "binary_cross_entropy_with_logits"
    check_reduction(who, reduction)
    t = _binary_targets(who, input, target)
    if t.size and not (0 <= t.min() and t.max() <= 1):
        raise ArgumentError(
            f"{who}: expected targets in [0, 1], got {float(t[~((t >= 0) & (t <= 1))].flat[0])}."
        )
    dtype = input._data.dtype
    w = None if weight is None else np.asarray(getattr(weight, "data", weight), dtype=dtype)
    pw = (
        None
        if pos_weight is None
        else np.asarray(getattr(pos_weight, "data", pos_weight), dtype=dtype)
    )
    _broadcasts(who, "weight", w, t.shape)
    _broadcasts(who, "pos_weight", pw, t.shape)
    return BCEWithLogitsLoss.apply(input, t, weight=w, pos_weight=pw, reduction=reduction)
