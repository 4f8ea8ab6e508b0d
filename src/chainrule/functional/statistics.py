"""Variance and standard deviation, composed from mean and sum (no derivative of their own)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..errors import ArgumentError, ShapeError


class RootOfSpread(Function):
    """y = sqrt(x) for x >= 0 that is a variance or a sum of squares; dy/dx = 1 / (2 y), and 0
    where y = 0 (a constant tensor's std, a zero vector's norm), as torch gives there."""

    saves_output = True

    @staticmethod
    def forward(ctx, x):
        y = np.sqrt(x)
        ctx.save(y=y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        y = ctx.y
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(y > 0, grad_y / (2 * y), 0).astype(grad_y.dtype, copy=False)


def var(
    x: Any, dim: Any = None, *, unbiased: Any = None, keepdim: bool = False, correction: Any = None
):
    """sum((x - mean)^2) / (N - correction); torch's default correction is 1 (Bessel's)."""
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    elif unbiased is not None:
        raise ArgumentError("var: expected either unbiased= or correction=, got both.")
    centred = x - x.mean(dim, keepdim=True)
    squares = (centred * centred).sum(dim, keepdim=keepdim)
    count = x.numel() // max(squares.numel(), 1)
    if count == 0:
        raise ShapeError(f"var: expected a non-empty tensor, got shape {tuple(x.shape)}.")
    if count - correction <= 0:  # torch divides by zero here: inf, or NaN for no spread at all
        return squares * float("inf")
    return squares / (count - correction)


def std(
    x: Any, dim: Any = None, *, unbiased: Any = None, keepdim: bool = False, correction: Any = None
):
    return RootOfSpread.apply(
        var(x, dim, unbiased=unbiased, keepdim=keepdim, correction=correction)
    )
