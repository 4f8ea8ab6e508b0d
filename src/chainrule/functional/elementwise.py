"""Elementwise functions of one tensor: exp, log, sqrt, abs, clip."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_fits
from ..autograd.function import Function, unbroadcast
from ..errors import ArgumentError
from .bool_kernels import refuse_bools


class Exp(Function):
    """y = e^x; dy/dx = y."""

    saves_output = True  # backward reads y: overwriting it in place is caught

    @staticmethod
    def forward(ctx, x):
        y = np.exp(x)
        ctx.save(y=y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * ctx.y


class Log(Function):
    """y = ln x; dy/dx = 1 / x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        with np.errstate(divide="ignore", invalid="ignore"):  # log(0) = -inf, as in torch
            return np.log(x)

    @staticmethod
    def backward(ctx, grad_y):
        with np.errstate(divide="ignore"):
            return grad_y / ctx.x


class Sqrt(Function):
    """y = sqrt(x); dy/dx = 1 / (2 y)."""

    saves_output = True  # backward reads y: overwriting it in place is caught

    @staticmethod
    def forward(ctx, x):
        with np.errstate(invalid="ignore"):
            y = np.sqrt(x)
        ctx.save(y=y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        with np.errstate(divide="ignore"):
            return grad_y / (2 * ctx.y)


class Abs(Function):
    """y = |x|; dy/dx = sign(x), 0 at 0 and at NaN as in torch."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return np.abs(x)

    @staticmethod
    def backward(ctx, grad_y):
        x = ctx.x
        sign = (
            np.sign(x, where=~np.isnan(x), out=np.zeros_like(x))
            if x.dtype.kind == "f"
            else np.sign(x)
        )
        return grad_y * sign  # sign(NaN) counts as 0, as torch's sgn does


class Clip(Function):
    """y = min(max(x, low), high); dy/dx = 1 inside [low, high] (inclusive, as torch.clamp), else 0."""

    op = "clamp"

    integer_ok = True

    @staticmethod
    def forward(ctx, x, low, high):
        low, high = getattr(low, "_data", low), getattr(high, "_data", high)
        y, inside = x, True
        # x itself on a tie (clamp(-0.0, min=0.0) is -0.0, as torch), and a NaN bound wins
        if low is not None:
            inside = x >= low
            y = np.where((x < low) | (low != low), low, x)
        if high is not None:
            inside = inside & (x <= high)
            y = np.where((y > high) | (high != high), high, y)
        ctx.save(inside=inside, x_shape=x.shape)
        return y.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        grad = grad_y * ctx.inside  # bounds with dims broadcast x: its gradient sums back
        return grad if grad.shape == ctx.x_shape else unbroadcast(grad, ctx.x_shape)


class NanToNum(Function):
    """y = x with NaN, inf and -inf replaced (by 0 and the dtype's largest and smallest finite
    values unless given, as torch); dy/dx = 1 where x is finite, else 0."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, nan, posinf, neginf):
        ctx.save(finite=np.isfinite(x))
        return np.nan_to_num(x, copy=True, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * ctx.finite


def exp(x: Any):
    return Exp.apply(x)


def log(x: Any):
    return Log.apply(x)


def sqrt(x: Any):
    return Sqrt.apply(x)


def abs(x: Any):  # noqa: A001  (torch.abs)
    refuse_bools("abs", x)
    return Abs.apply(x)


def clip(x: Any, min: Any = None, max: Any = None):  # noqa: A002
    """Clamp into [min, max]; either bound may be None."""
    if min is None and max is None:
        raise ArgumentError("clip: expected at least one of min and max, got neither.")
    min, max = (b.item() if isinstance(b, np.generic) else b for b in (min, max))  # numbers
    if hasattr(min, "_data") or hasattr(max, "_data"):  # tensor bounds: torch's result dtype
        x, min, max = _common_bounds(x, min, max)
    kind = getattr(x, "dtype", np.dtype(np.float64)).kind
    if kind in "iub" and (isinstance(min, float) or isinstance(max, float)):
        from ..dtypes import get_default_dtype  # an integer tensor clamped at 1.5 is a float tensor

        x = x.to(get_default_dtype())
    elif kind == "b" and bool in (type(min), type(max)):  # torch has no bool kernel for a number
        refuse_bools("clamp", x, True)
    elif kind == "b" and (type(min) is int or type(max) is int):  # a bool one at 0 is int64
        x = x.to(np.dtype(np.int64))
    dtype = getattr(x, "dtype", None)
    if dtype is not None and dtype.kind in "iuf":  # torch refuses a bound the dtype cannot hold
        min, max = (
            check_fits("clamp", b, dtype) if type(b) in (int, float) else b for b in (min, max)
        )
    return Clip.apply(x, low=min, high=max)


def _common_bounds(x: Any, low: Any, high: Any) -> tuple:
    """x and its tensor bounds in torch's dtype for the three (bool[3].clamp(min=tensor(2))
    is int64, uint8[3].clamp(min=tensor(-3, int16)) is uint8 with -3 read as 253)."""
    from ..type_promotion import result_type_of

    wanted = result_type_of(x, *[b for b in (low, high) if b is not None])
    cast = [
        v.to(wanted) if hasattr(v, "_data") and v.dtype != wanted else v for v in (x, low, high)
    ]
    return tuple(cast)


def nan_to_num(x: Any, nan: float = 0.0, posinf: Any = None, neginf: Any = None):
    from .sorting import _tensor

    return NanToNum.apply(_tensor(x), nan=nan, posinf=posinf, neginf=neginf)


def square(x: Any):
    """x * x; a bool tensor's square is int64, as torch's."""
    if x.dtype.kind == "b":
        x = x.to(np.dtype(np.int64))
    return x * x


clamp = clip
