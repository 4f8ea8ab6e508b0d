"""Elementwise math that torch has and the core ops lack: erf, expm1, tan, the inverse and
hyperbolic trigonometric functions, atan2; and the rounding divisions (remainder, fmod,
floor_divide, div's rounding_mode), on NumPy's kernels with torch's gradients.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import fail_value
from ..autograd.function import Function
from ..cpugraph.capture import record_call
from ..dtypes import as_number, wrap_int
from ..type_promotion import result_type
from ._erf import erf as _erf
from .bool_kernels import refuse_bools
from .arithmetic import Div, _broadcast_check, _summed
from .rounding import Round
from .special_math import Erfc
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
    """1 - erf(x), keeping its digits for large x as torch's does (torch.special.erfc's Function)."""
    return Erfc.apply(_tensor(input))


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
    b = as_number(b)  # bool // np.int8(-2) is int64, as bool // -2
    divisor = getattr(b, "_data", b)
    wanted = None
    if _plain_int(divisor) and a._data.dtype.kind in "iu":
        divisor = wrap_int(divisor, a._data.dtype)  # uint8 % 300 stays uint8, as in torch
    elif getattr(b, "_data", None) is not None:
        wanted = result_type(a, b)  # a 0-d tensor does not widen one with dims: uint8 // tensor(-3)
    # a 0-d int64 256 is a uint8 0: checked as the kernel will see it (a copy: the recorded
    # call below must read the batch's own divisor on a replay)
    seen = divisor if wanted is None else np.asarray(divisor).astype(wanted)
    if a._data.size and not np.all(
        seen
    ):  # NumPy warns and gives 0; torch raises, and so does chainrule
        fail_value(function.__name__.strip("_"), "an integer divisor with no zero", "a zero")
    # no Function (no gradient), so recorded: a CPUGraph replay recomputes it from the batch
    return a._wrap(record_call(_in_dtype, function, a._data, divisor, wanted))


def _in_dtype(function: Any, a: np.ndarray, b: Any, dtype: Any) -> np.ndarray:
    """function(a, b) computed in torch's result dtype (inside the recorded call, so a replay
    converts each batch's arrays too)."""
    if dtype is not None:
        a, b = a.astype(dtype, copy=False), b.astype(dtype, copy=False)
    return function(a, b)


def _plain_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _first(input: Any, other: Any):  # noqa: A002
    """input as a tensor; a Python int meeting an integer tensor takes its dtype, wrapped, as
    torch's ``300 // uint8_tensor`` does (a number never widens a tensor of its own kind)."""
    data = getattr(other, "_data", None)
    if isinstance(input, np.integer):  # a NumPy integer reads as a Python int, as in torch
        input = int(input)  # noqa: A001
    if data is not None and _plain_int(input) and data.dtype.kind in "iu":
        return other._wrap(wrap_int(input, data.dtype))
    return _tensor(input)


def trunc(input: Any):  # noqa: A002
    """Round toward zero; zero gradient, as torch."""
    x = _tensor(input)
    refuse_bools("trunc", x)
    return x.clone() if x.dtype.kind != "f" else Round.apply(x, mode="trunc")


def _trunc_quotient(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.trunc(np.divide(a, b))


def _remainder(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """torch's float remainder: fmod moved into y_'s sign unless it is zero, so a zero keeps
    x's sign (7 % -1.0 is 0.0 and -7 % 1.0 is -0.0, where NumPy gives -0.0 and 0.0)."""
    mod = np.fmod(a, b)
    return np.where((mod != 0) & ((b < 0) != (mod < 0)), mod + b, mod)


class Remainder(Function):
    """y = x - q y_ with q = floor(x / y_) (remainder: y_'s sign) or trunc(x / y_) (fmod: x's
    sign), on NumPy's own kernels: composing them from / and floor gave NaN for x % inf, and
    -1 % inf is inf, as Python's and torch's. dy/dx = 1, dy/dy_ = -q."""

    @staticmethod
    def forward(ctx, a, b, mode):
        if a.shape != b.shape:
            ctx.shapes = _broadcast_check(mode, a, b)
        ctx.save(a=a, b=b, mode=mode)
        with np.errstate(divide="ignore", invalid="ignore"):  # x % 0 and inf % y are NaN, quietly
            return _remainder(a, b) if mode == "remainder" else np.fmod(a, b)

    @staticmethod
    def backward(ctx, grad_y):
        grad_b = None
        if ctx.needs_input_grad[1]:
            quotient = np.floor_divide if ctx.mode == "remainder" else _trunc_quotient
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                grad_b = -grad_y * quotient(ctx.a, ctx.b)
        if getattr(ctx, "shapes", None) is None:
            return grad_y, grad_b
        return _summed(ctx.shapes, grad_y if ctx.needs_input_grad[0] else None, grad_b)


class RoundedDiv(Function):
    """y = floor(a / b) or trunc(a / b), on NumPy's floor_divide (-1 // inf is -1, where
    floor(-1 / inf) is -0); a step function, so both gradients are zero, as torch's."""

    @staticmethod
    def forward(ctx, a, b, mode):
        if a.shape != b.shape:
            _broadcast_check("div", a, b)
        ctx.shapes = (a.shape, b.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.floor_divide(a, b) if mode == "floor" else _trunc_quotient(a, b)

    @staticmethod
    def backward(ctx, grad_y):
        return np.zeros(ctx.shapes[0], grad_y.dtype), np.zeros(ctx.shapes[1], grad_y.dtype)


def remainder(input: Any, other: Any):  # noqa: A002
    """x - floor(x / y) * y: the sign of y, as Python's %; gradient 1 in x, -floor(x / y) in y."""
    x = _first(input, other)
    refuse_bools("remainder", x, other)
    if not _floating(x, other):
        return _integer_result(np.mod, x, other)
    return Remainder.apply(x, other, mode="remainder")


def fmod(input: Any, other: Any):  # noqa: A002
    """x - trunc(x / y) * y: the sign of x, as C's fmod."""
    x = _first(input, other)
    refuse_bools("fmod", x, other)
    if not _floating(x, other):
        return _integer_result(np.fmod, x, other)
    return Remainder.apply(x, other, mode="fmod")


def floor_divide(input: Any, other: Any):  # noqa: A002
    """floor(x / y), as torch.floor_divide (which floors since torch 1.13)."""
    return divide(input, other, rounding_mode="floor")


def divide(input: Any, other: Any, *, rounding_mode: str | None = None):  # noqa: A002
    """torch.div: true division, or rounded toward zero ("trunc") or down ("floor")."""
    x = _first(input, other)
    if rounding_mode is None:
        return Div.apply(x, other)
    if rounding_mode not in ("trunc", "floor"):
        fail_value("div", "rounding_mode None, 'trunc' or 'floor'", repr(rounding_mode))
    refuse_bools(f"div(rounding_mode={rounding_mode!r})", x, other)
    if not _floating(x, other):
        quotient = np.floor_divide if rounding_mode == "floor" else _trunc_divide
        return _integer_result(quotient, x, other)
    return RoundedDiv.apply(x, other, mode=rounding_mode)


def _trunc_divide(a: np.ndarray, b: Any) -> np.ndarray:
    result = np.floor_divide(a, b)
    return result + ((np.mod(a, b) != 0) & ((np.asarray(a) < 0) != (np.asarray(b) < 0)))
