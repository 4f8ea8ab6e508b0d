"""Variance and standard deviation, composed from mean and sum (no derivative of their own)."""

from __future__ import annotations

from typing import Any

from ..errors import ShapeError


def var(x: Any, dim: Any = None, *, unbiased: Any = None, keepdim: bool = False,
        correction: Any = None):
    """sum((x - mean)^2) / (N - correction); torch's default correction is 1 (Bessel's)."""
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    elif unbiased is not None:
        raise ValueError("var: expected either unbiased= or correction=, got both.")
    centred = x - x.mean(dim, keepdim=True)
    squares = (centred * centred).sum(dim, keepdim=keepdim)
    count = x.numel() // max(squares.numel(), 1)
    if count == 0:
        raise ShapeError(f"var: expected a non-empty tensor, got shape {tuple(x.shape)}.")
    if count - correction <= 0:  # torch gives NaN here too: no spread can be estimated
        return squares * float("nan")
    return squares / (count - correction)


def std(x: Any, dim: Any = None, *, unbiased: Any = None, keepdim: bool = False,
        correction: Any = None):
    return var(x, dim, unbiased=unbiased, keepdim=keepdim, correction=correction).sqrt()
