"""One-input elementwise math torch has at top level: frac, exp2, sinc, logit (Functions), and
float_power, deg2rad, rad2deg, sgn (composed from ops that already have their derivatives)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import message
from ..errors import NoKernelError
from ..autograd.function import Function
from ..dtypes import get_default_dtype
from .comparison import into
from .sorting import _tensor


class Frac(Function):
    """y = x - trunc(x) (the sign of x, as torch); dy/dx = 1."""

    @staticmethod
    def forward(ctx, x):
        return x - np.trunc(x)

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y


class Exp2(Function):
    """y = 2^x; dy/dx = y ln 2."""

    saves_output = True

    @staticmethod
    def forward(ctx, x):
        ctx.y = np.exp2(x)
        return ctx.y

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * ctx.y * np.log(2.0).astype(ctx.y.dtype)


class Sinc(Function):
    """y = sin(pi x) / (pi x), 1 at 0 (torch's normalised sinc); dy/dx = (cos(pi x) - y) / x."""

    @staticmethod
    def forward(ctx, x):
        ctx.x = x
        ctx.y = np.sinc(x)
        return ctx.y

    @staticmethod
    def backward(ctx, grad_y):
        x = ctx.x
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = np.where(x == 0, 0, (np.cos(np.pi * x) - ctx.y) / x)
        return grad_y * slope.astype(x.dtype, copy=False)


class Logit(Function):
    """y = log(z / (1 - z)), z = x clamped to [eps, 1 - eps] if eps is given;
    dy/dx = 1 / (x (1 - x)) inside the clamp, 0 outside it (torch's rule)."""

    @staticmethod
    def forward(ctx, x, eps=None):
        ctx.x, ctx.eps = x, eps
        z = x if eps is None else np.clip(x, eps, 1 - eps)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(z / (1 - z))

    @staticmethod
    def backward(ctx, grad_y):
        x, eps = ctx.x, ctx.eps
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = 1 / (x * (1 - x))
        if eps is not None:
            slope = np.where((x < eps) | (x > 1 - eps), 0, slope).astype(x.dtype, copy=False)
        return grad_y * slope


def _floating(input: Any):  # noqa: A002
    """torch computes these on integers in the default float dtype."""
    x = _tensor(input)
    return x if x.dtype.kind == "f" else x.to(get_default_dtype())


def frac(input: Any, *, out: Any = None):  # noqa: A002
    x = _tensor(input)
    if x.dtype.kind != "f":
        raise NoKernelError(message("frac", "a floating-point tensor", f"dtype {x.dtype}"))
    return into(out, Frac.apply(x))


def exp2(input: Any, *, out: Any = None):  # noqa: A002
    return into(out, Exp2.apply(_floating(input)))


def sinc(input: Any, *, out: Any = None):  # noqa: A002
    return into(out, Sinc.apply(_floating(input)))


def logit(input: Any, eps: float | None = None, *, out: Any = None):  # noqa: A002
    return into(out, Logit.apply(_floating(input), eps=eps))


def float_power(input: Any, exponent: Any, *, out: Any = None):  # noqa: A002
    """input ** exponent computed in float64, whatever the dtypes, as torch.float_power."""
    x = _tensor(input).to(np.float64)
    if hasattr(exponent, "_data"):
        exponent = exponent.to(np.float64)
    elif not isinstance(exponent, (int, float)):
        exponent = _tensor(exponent).to(np.float64)
    return into(out, x**exponent)


def deg2rad(input: Any, *, out: Any = None):  # noqa: A002
    return into(out, _floating(input) * (np.pi / 180.0))


def rad2deg(input: Any, *, out: Any = None):  # noqa: A002
    return into(out, _floating(input) * (180.0 / np.pi))


def sgn(input: Any, *, out: Any = None):  # noqa: A002
    """sign(x) for real tensors (torch's sgn differs only on complex ones)."""
    return into(out, _tensor(input).sign())
