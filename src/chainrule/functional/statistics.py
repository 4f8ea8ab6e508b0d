"""Variance, standard deviation and the p-norm, composed from mean and sum (no derivative of
their own)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..errors import ArgumentError, DTypeError
from .similarity import p_norm


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
    _floating_only("var", x)
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    elif unbiased is not None:
        raise ArgumentError("var: expected either unbiased= or correction=, got both.")
    centred = x - x.mean(dim, keepdim=True)
    squares = (centred * centred).sum(dim, keepdim=keepdim)
    count = x.numel() // squares.numel() if squares.numel() else 1
    # torch divides by zero here: inf, or NaN for no spread at all (an empty dim too)
    if count - correction <= 0:
        return squares * float("inf")
    return squares / (count - correction)


def std(
    x: Any, dim: Any = None, *, unbiased: Any = None, keepdim: bool = False, correction: Any = None
):
    _floating_only("std", x)
    return RootOfSpread.apply(
        var(x, dim, unbiased=unbiased, keepdim=keepdim, correction=correction)
    )


def _floating_only(who: str, x: Any) -> None:
    """torch refuses integer and bool spreads (it names std and var; mean's refusal would not)."""
    if x.dtype.kind != "f":
        raise DTypeError(
            f"{who}: expected a floating-point tensor, got dtype {x.dtype}.\nHint: x.float().{who}()."
        )


def norm(x: Any, p: Any = "fro", dim: Any = None, keepdim: bool = False):
    """torch.Tensor.norm: the p-norm of the elements ("fro", the default, is p = 2)."""
    if x.dtype.kind != "f":
        raise DTypeError(
            f"norm: expected a floating-point tensor, got dtype {x.dtype}.\n"
            f"Hint: x.float().norm(), as torch requires too."
        )
    if p == "fro" and dim is not None and len(np.atleast_1d(dim)) > 2:
        # torch sends "fro" over a tuple of dims to linalg.matrix_norm, which takes two
        raise ArgumentError(
            f"norm(p='fro'): expected at most 2 dims, got {tuple(np.atleast_1d(dim))}.\n"
            f"Hint: p=2 gives the same number over any dims."
        )
    if p == 0:  # torch's limit p -> 0: the count of non-zeros, with a zero gradient (sign's)
        return (x.abs().sign() + x.isnan()).sum(dim, keepdim)
    if p in (2, "fro"):
        return RootOfSpread.apply((x * x).sum(dim, keepdim))
    if p == 1:
        return x.abs().sum(dim, keepdim)
    if p in (float("inf"), "inf"):
        return x.abs().amax(dim, keepdim)
    return p_norm(x, p, dim, keepdim)  # 0, not NaN, as the gradient at a zero vector
