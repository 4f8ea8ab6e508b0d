"""Elementwise math that torch has and the core ops lack: erf, expm1, tan, the inverse and
hyperbolic trigonometric functions, atan2; and the rounding divisions (remainder, fmod,
floor_divide, div's rounding_mode), composed from floor and div so their gradients are torch's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import fail_value
from ..autograd.function import Function
from ..cpugraph.capture import record_call
from ._erf import erf as _erf
from .arithmetic import Div, _broadcast_check, _summed, div
from .rounding import ceil, floor
from .sorting import _tensor

_TWO_OVER_SQRT_PI = 2.0 / np.sqrt(np.pi)


class Erf(Function):
    """y = erf x; dy/dx = 2 / sqrt(pi) exp(-x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return _erf(x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * (_TWO_OVER_SQRT_PI * np.exp(-ctx.x * ctx.x)).astype(ctx.x.dtype)


class Expm1(Function):
    """y = exp(x) - 1, accurate near 0; dy/dx = y + 1."""

    saves_output = True

    @staticmethod
    def forward(ctx, x):
        y = np.expm1(x)
        ctx.save(y=y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * (ctx.y + 1)


class Tan(Function):
    """y = tan x; dy/dx = 1 + y^2."""

    saves_output = True

    @staticmethod
    def forward(ctx, x):
        y = np.tan(x)
        ctx.save(y=y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * (1 + ctx.y * ctx.y)


class Asin(Function):
    """y = asin x; dy/dx = 1 / sqrt(1 - x^2) (inf at |x| = 1, as torch)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return np.arcsin(x)

    @staticmethod
    def backward(ctx, grad_y):
        with np.errstate(divide="ignore", invalid="ignore"):
            return grad_y / np.sqrt(1 - ctx.x * ctx.x)


class Acos(Function):
    """y = acos x; dy/dx = -1 / sqrt(1 - x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return np.arccos(x)

    @staticmethod
    def backward(ctx, grad_y):
        with np.errstate(divide="ignore", invalid="ignore"):
            return -grad_y / np.sqrt(1 - ctx.x * ctx.x)


class Atan(Function):
    """y = atan x; dy/dx = 1 / (1 + x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return np.arctan(x)

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y / (1 + ctx.x * ctx.x)


class Sinh(Function):
    """y = sinh x; dy/dx = cosh x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return np.sinh(x)

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * np.cosh(ctx.x)


class Cosh(Function):
    """y = cosh x; dy/dx = sinh x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return np.cosh(x)

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * np.sinh(ctx.x)


class Atan2(Function):
    """y = atan2(a, b), the angle of the point (b, a); dy/da = b / r^2, dy/db = -a / r^2."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = None if a.shape == b.shape else _broadcast_check("atan2", a, b)
        ctx.a, ctx.b = a, b
        return np.arctan2(a, b)

    @staticmethod
    def backward(ctx, grad_y):
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = grad_y / (ctx.a * ctx.a + ctx.b * ctx.b)
        grad_a, grad_b = scaled * ctx.b, -scaled * ctx.a
        return (grad_a, grad_b) if ctx.shapes is None else _summed(ctx.shapes, grad_a, grad_b)


def erf(input: Any):  # noqa: A002
    return Erf.apply(_tensor(input))


def erfc(input: Any):  # noqa: A002
    """1 - erf(x) (loses digits for large x, where torch's erfc keeps them)."""
    return 1.0 - Erf.apply(_tensor(input))


def expm1(input: Any):  # noqa: A002
    return Expm1.apply(_tensor(input))


def tan(input: Any):  # noqa: A002
    return Tan.apply(_tensor(input))


def asin(input: Any):  # noqa: A002
    return Asin.apply(_tensor(input))


def acos(input: Any):  # noqa: A002
    return Acos.apply(_tensor(input))


def atan(input: Any):  # noqa: A002
    return Atan.apply(_tensor(input))


def sinh(input: Any):  # noqa: A002
    return Sinh.apply(_tensor(input))


def cosh(input: Any):  # noqa: A002
    return Cosh.apply(_tensor(input))


def atan2(input: Any, other: Any):  # noqa: A002
    return Atan2.apply(_tensor(input), other)


def _floating(a: Any, b: Any) -> bool:
    return a.dtype.kind == "f" or np.asarray(getattr(b, "_data", b)).dtype.kind == "f"


def _integer_result(function: Any, a: Any, b: Any):
    divisor = getattr(b, "_data", b)
    if a._data.size and not np.all(
        divisor
    ):  # NumPy warns and gives 0; torch raises, and so does chainrule
        fail_value(function.__name__.strip("_"), "an integer divisor with no zero", "a zero")
    # no Function (no gradient), so recorded: a CPUGraph replay recomputes it from the batch
    return a._wrap(record_call(function, a._data, divisor))


def trunc(input: Any):  # noqa: A002
    """Round toward zero; zero gradient, as torch."""
    x = _tensor(input)
    if x.dtype.kind != "f":
        return x.clone()
    return floor(x) * (x >= 0) + ceil(x) * (x < 0)  # masks as tensors: a replay recomputes them


def remainder(input: Any, other: Any):  # noqa: A002
    """x - floor(x / y) * y: the sign of y, as Python's %; gradient 1 in x, -floor(x / y) in y."""
    x = _tensor(input)
    if not _floating(x, other):
        return _integer_result(np.mod, x, other)
    # the quotient is a constant of the gradient (floor's is zero): detached, x % 0 keeps
    # torch's gradient 1 in x where the chain through x / 0 would give 0 / 0
    return x - floor(div(x, other)).detach() * other


def fmod(input: Any, other: Any):  # noqa: A002
    """x - trunc(x / y) * y: the sign of x, as C's fmod."""
    x = _tensor(input)
    if not _floating(x, other):
        return _integer_result(np.fmod, x, other)
    return x - trunc(div(x, other)).detach() * other


def floor_divide(input: Any, other: Any):  # noqa: A002
    """floor(x / y), as torch.floor_divide (which floors since torch 1.13)."""
    return divide(input, other, rounding_mode="floor")


def divide(input: Any, other: Any, *, rounding_mode: str | None = None):  # noqa: A002
    """torch.div: true division, or rounded toward zero ("trunc") or down ("floor")."""
    x = _tensor(input)
    if rounding_mode is None:
        return Div.apply(x, other)
    if rounding_mode not in ("trunc", "floor"):
        fail_value("div", "rounding_mode None, 'trunc' or 'floor'", repr(rounding_mode))
    if not _floating(x, other):
        quotient = np.floor_divide if rounding_mode == "floor" else _trunc_divide
        return _integer_result(quotient, x, other)
    quotient = div(x, other)
    return floor(quotient) if rounding_mode == "floor" else trunc(quotient)


def _trunc_divide(a: np.ndarray, b: Any) -> np.ndarray:
    result = np.floor_divide(a, b)
    return result + ((np.mod(a, b) != 0) & ((np.asarray(a) < 0) != (np.asarray(b) < 0)))
