"""Losses between predictions and real-valued targets: MSE, L1, Huber."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, shape_str
from ..autograd.function import Function
from ..autograd.tensor import Tensor
from ..errors import ArgumentError, ShapeError
from .loss_reduction import (
    check_prediction,
    check_reduction,
    check_target_not_nan,
    legacy_reduction,
    reduce_loss,
    upstream,
)


class MSELoss(Function):
    """L = mean((p - t)^2); dL/dp = 2 (p - t) / N, the notebook's -2(y - h) averaged."""

    @staticmethod
    def forward(ctx, prediction, target, reduction):
        diff = prediction - target
        if reduction == "none":
            loss, scale = diff * diff, None
        else:  # vdot is the sum of squares in one BLAS call, without a temporary
            total = np.vdot(diff, diff)
            scale = 1.0 if reduction == "sum" else 1.0 / diff.size
            loss = np.asanyarray(total * scale if reduction == "mean" else total, dtype=diff.dtype)
        ctx.save(diff=diff, scale=scale)
        return loss

    @staticmethod
    def backward(ctx, grad_y):
        grad_p = ctx.diff * (2.0 * upstream(grad_y, ctx.scale))
        return _both_sides(ctx, grad_p)


class L1Loss(Function):
    """L = mean(|p - t|); dL/dp = sign(p - t) / N."""

    @staticmethod
    def forward(ctx, prediction, target, reduction):
        diff = prediction - target
        loss, scale = reduce_loss(np.abs(diff), reduction)
        ctx.save(sign=np.sign(diff), scale=scale)
        return loss

    @staticmethod
    def backward(ctx, grad_y):
        grad_p = ctx.sign * upstream(grad_y, ctx.scale)
        return _both_sides(ctx, grad_p)


class HuberLoss(Function):
    """L = d^2 / 2 where |d| <= delta, else delta (|d| - delta / 2); dL/dd = clip(d, -delta, delta)."""

    @staticmethod
    def forward(ctx, prediction, target, reduction, delta):
        diff = prediction - target
        size = np.abs(diff)
        quadratic = size <= delta
        per = np.where(quadratic, 0.5 * diff * diff, delta * (size - 0.5 * delta))
        loss, scale = reduce_loss(per.astype(diff.dtype, copy=False), reduction)
        ctx.save(slope=np.clip(diff, -delta, delta).astype(diff.dtype, copy=False), scale=scale)
        return loss

    @staticmethod
    def backward(ctx, grad_y):
        grad_p = ctx.slope * upstream(grad_y, ctx.scale)
        return _both_sides(ctx, grad_p)


def _both_sides(ctx, grad_p: np.ndarray) -> tuple:
    """The loss depends on p - t, so the target's gradient is the prediction's, negated."""
    needs = ctx.needs_input_grad
    return (grad_p if needs[0] else None), (-grad_p if needs[1] else None)


def _same_shape(who: str, prediction: Any, target: Any) -> None:
    shape_p = prediction.shape if hasattr(prediction, "shape") else np.shape(prediction)
    shape_t = target.shape if hasattr(target, "shape") else np.shape(target)
    if shape_p != shape_t:
        hint = None
        try:
            combined = np.broadcast_shapes(shape_p, shape_t)
            hint = (
                f"broadcasting them would give a {shape_str(combined)} array; "
                f"use targets.reshape{shape_p} so both match."
            )
        except ValueError:
            pass
        text = (
            f"{who}: inputs and targets must have the same shape, got "
            f"{shape_str(shape_p)} and {shape_str(shape_t)}."
        )
        raise ShapeError(text + (f"\nHint: {hint}" if hint else ""))


def mse_loss(  # noqa: A002
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    weight: Any = None,
):
    """Mean squared error, mean((input - target)^2). Shapes: input and target identical.

    Unlike torch, different shapes are an error, not a warning.

    >>> import numpy as np, chainrule as cr
    >>> mse_loss(cr.tensor([[3.0], [2.0]]), cr.tensor([[2.0], [3.0]])).item()
    1.0
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_tensor("mse_loss", input)
    check_reduction("mse_loss", reduction)
    check_prediction("mse_loss", input)
    _same_shape("mse_loss", input, target)
    check_target_not_nan("mse_loss", target)
    if weight is not None:
        loss = MSELoss.apply(input, target, reduction="none")
        return _weighted("mse_loss", loss, weight, reduction, by_weight=True)
    return MSELoss.apply(input, target, reduction=reduction)


def l1_loss(  # noqa: A002
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    weight: Any = None,
):
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_tensor("l1_loss", input)
    check_reduction("l1_loss", reduction)
    check_prediction("l1_loss", input)
    _same_shape("l1_loss", input, target)
    check_target_not_nan("l1_loss", target)
    if weight is not None:
        loss = L1Loss.apply(input, target, reduction="none")
        return _weighted("l1_loss", loss, weight, reduction, by_weight=True)
    return L1Loss.apply(input, target, reduction=reduction)


def huber_loss(  # noqa: A002
    input: Any, target: Any, reduction: str = "mean", delta: float = 1.0, weight: Any = None
):
    check_tensor("huber_loss", input)
    check_reduction("huber_loss", reduction)
    check_prediction("huber_loss", input)
    _same_shape("huber_loss", input, target)
    check_target_not_nan("huber_loss", target)
    if not delta > 0:
        raise ArgumentError(f"huber_loss: expected delta > 0, got {delta!r}.")
    if weight is not None:
        loss = HuberLoss.apply(input, target, reduction="none", delta=delta)
        return _weighted("huber_loss", loss, weight, reduction, by_weight=False)
    return HuberLoss.apply(input, target, reduction=reduction, delta=delta)


def _weighted(who: str, loss: Any, weight: Any, reduction: str, by_weight: bool) -> Any:
    """torch 2.13's per-element ``weight``: the mean divides by the weights' sum for MSE and L1
    (a weighted mean) but by the element count for Huber, as torch does."""
    if not isinstance(weight, Tensor):
        weight = Tensor._wrap(np.asarray(weight, dtype=loss.dtype))
    if tuple(weight.shape) != tuple(loss.shape):
        raise ShapeError(
            f"{who}: expected weight of the input's shape {shape_str(loss.shape)}, got "
            f"{shape_str(weight.shape)}."
        )
    weighted = loss * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    return weighted.sum() / weight.sum() if by_weight else weighted.mean()
