"""Two-input elementwise math torch has at top level: logaddexp(2), hypot, copysign, fmax, fmin,
xlogy (differentiable); ldexp (composed); heaviside, gcd, lcm, nextafter (no gradient in torch).
Each Function broadcasts as Add does and sums its gradients back to the inputs' shapes."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import fail_dtype, message
from ..autograd.function import Function
from ..errors import NoKernelError
from ..type_promotion import result_type
from .arithmetic import _broadcast_check, _summed
from .comparison import into
from .predicates import _array, _test
from .sorting import _tensor

_LN2 = float(np.log(2.0))


def _pair(ctx: Function, who: str, a: np.ndarray, b: np.ndarray) -> None:
    ctx.shapes = None if np.shape(a) == np.shape(b) else _broadcast_check(who, a, b)
    ctx.a, ctx.b = a, b


def _down(ctx: Function, grad_a: Any, grad_b: Any) -> tuple:
    return (grad_a, grad_b) if ctx.shapes is None else _summed(ctx.shapes, grad_a, grad_b)


class LogAddExp(Function):
    """y = log(e^a + e^b) (or log2(2^a + 2^b) with base 2); dy/da = base^(a - y)."""

    @staticmethod
    def forward(ctx, a, b, base2=False):
        _pair(ctx, "logaddexp", a, b)
        ctx.y = np.logaddexp2(a, b) if base2 else np.logaddexp(a, b)
        ctx.base2 = base2
        return ctx.y

    @staticmethod
    def backward(ctx, grad_y):
        power = np.exp2 if ctx.base2 else np.exp
        with np.errstate(invalid="ignore"):  # -inf - -inf: torch's NaN as well
            return _down(ctx, grad_y * power(ctx.a - ctx.y), grad_y * power(ctx.b - ctx.y))


class Hypot(Function):
    """y = sqrt(a^2 + b^2) without overflow; dy/da = a / y (NaN at the origin, as torch)."""

    @staticmethod
    def forward(ctx, a, b):
        _pair(ctx, "hypot", a, b)
        ctx.y = np.hypot(a, b)
        return ctx.y

    @staticmethod
    def backward(ctx, grad_y):
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = grad_y / ctx.y
        return _down(ctx, scaled * ctx.a, scaled * ctx.b)


class Copysign(Function):
    """y = |a| with b's sign; dy/da = y / a (0 at a = 0, as torch), none to b."""

    @staticmethod
    def forward(ctx, a, b):
        _pair(ctx, "copysign", a, b)
        ctx.y = np.copysign(a, b)
        return ctx.y

    @staticmethod
    def backward(ctx, grad_y):
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(ctx.a == 0, 0, ctx.y / ctx.a).astype(ctx.y.dtype, copy=False)
        return _down(ctx, grad_y * ratio, np.zeros_like(grad_y))


class FMax(Function):
    """fmax / fmin: the larger (smaller) value, ignoring a NaN; the gradient goes to the one
    chosen, to ``a`` on ties, as torch."""

    integer_ok = True

    @staticmethod
    def forward(ctx, a, b, smaller=False):
        _pair(ctx, "fmin" if smaller else "fmax", a, b)
        wins = np.less_equal(a, b) if smaller else np.greater_equal(a, b)
        ctx.to_a = wins | np.isnan(b)
        return np.fmin(a, b) if smaller else np.fmax(a, b)

    @staticmethod
    def backward(ctx, grad_y):
        return _down(ctx, np.where(ctx.to_a, grad_y, 0), np.where(ctx.to_a, 0, grad_y))


class XLogY(Function):
    """y = a log b, 0 where a = 0 (unless b is NaN); dy/da = log b (0 where a = 0 and b <= 0,
    as torch), dy/db = a / b."""

    @staticmethod
    def forward(ctx, a, b):
        _pair(ctx, "xlogy", a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            product = a * np.log(b)
        return np.where((a == 0) & ~np.isnan(b), 0, product).astype(product.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        a, b = ctx.a, ctx.b
        with np.errstate(divide="ignore", invalid="ignore"):
            log_b = np.where((a == 0) & (b <= 0), 0, np.log(b)).astype(grad_y.dtype, copy=False)
            grad_a = grad_y * log_b
            grad_b = grad_y * a / b
        return _down(ctx, grad_a, grad_b)


def _operands(input: Any, other: Any) -> tuple:  # noqa: A002
    """A number on either side (torch.xlogy(2, t)) stays a number; two numbers, a tensor."""
    if hasattr(input, "_data") or not hasattr(other, "_data"):
        return _tensor(input), other
    return input, other


def logaddexp(input: Any, other: Any, *, out: Any = None):  # noqa: A002
    _float_kernel("logaddexp", input, other)
    return into(out, LogAddExp.apply(*_operands(input, other)))


def logaddexp2(input: Any, other: Any, *, out: Any = None):  # noqa: A002
    _float_kernel("logaddexp2", input, other)
    return into(out, LogAddExp.apply(*_operands(input, other), base2=True))


def hypot(input: Any, other: Any, *, out: Any = None):  # noqa: A002
    _float_kernel("hypot", input, other)
    return into(out, Hypot.apply(*_operands(input, other)))


def copysign(input: Any, other: Any, *, out: Any = None):  # noqa: A002
    a, b = _operands(input, other)
    if getattr(a, "dtype", np.dtype(float)).kind in "iub":  # torch gives a float, as here
        from ..dtypes import get_default_dtype

        a = a.to(get_default_dtype())
    return into(out, Copysign.apply(a, b))


def fmax(input: Any, other: Any, *, out: Any = None):  # noqa: A002
    return into(out, FMax.apply(*_operands(input, other)))


def fmin(input: Any, other: Any, *, out: Any = None):  # noqa: A002
    return into(out, FMax.apply(*_operands(input, other), smaller=True))


def xlogy(input: Any, other: Any, *, out: Any = None):  # noqa: A002
    return into(out, XLogY.apply(*_operands(input, other)))


def ldexp(input: Any, other: Any, *, out: Any = None):  # noqa: A002
    """input * 2^other, composed (torch's too), so both get a gradient."""
    x = _tensor(input)
    if x.dtype.kind != "f":
        from ..dtypes import get_default_dtype

        x = x.to(get_default_dtype())
    return into(out, x * (2.0 ** _tensor(other).to(x.dtype)))


def _same_dtype(who: str, a: np.ndarray, b: np.ndarray) -> None:
    if np.asarray(a).dtype != np.asarray(b).dtype:
        fail_dtype(who, "input and other of one dtype", f"{a.dtype} and {np.asarray(b).dtype}")


def heaviside(input: Any, values: Any, *, out: Any = None):  # noqa: A002
    """0 below zero, 1 above, ``values`` at zero; torch gives it no gradient, nor does this."""
    a, b = _array(input), _array(values)
    _same_dtype("heaviside", a, b)
    return into(out, _test(_step, a, b))


def _step(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """torch's rule, where NaN is not above zero (NumPy's heaviside gives NaN there)."""
    return np.where(a == 0, b, a > 0).astype(np.result_type(a, b), copy=False)


def nextafter(input: Any, other: Any, *, out: Any = None):  # noqa: A002
    """The next float after ``input`` toward ``other``, in the two's torch dtype (an integer
    or a 0-d operand is cast to it); float32 meeting float64 with dims is refused, as chainrule
    refuses it elsewhere. No gradient, as torch."""
    wanted = _float_kernel("nextafter", input, other)
    a, b = _array(input), _array(other)
    if a.ndim and b.ndim and a.dtype.kind == "f" == b.dtype.kind:
        _same_dtype("nextafter", a, b)
    return into(out, _test(_next_after, a, b, dtype=wanted))


def _next_after(a: np.ndarray, b: np.ndarray, dtype: np.dtype) -> np.ndarray:
    return np.nextafter(a.astype(dtype, copy=False), b.astype(dtype, copy=False))


def _float_kernel(who: str, input: Any, other: Any) -> np.dtype:  # noqa: A002
    """The dtype torch computes ``who`` in; it has no integer or bool kernel for these."""
    wanted = result_type(input, other)
    if wanted.kind != "f":
        raise NoKernelError(
            message(
                who,
                "a float operand (torch has no integer kernel for it)",
                f"operands of dtype {wanted}",
                "convert first: x.float().",
            )  # fmt: skip
        )
    return wanted


def _integers(who: str, ufunc: Any, input: Any, other: Any, out: Any):  # noqa: A002
    a, b = _array(input), _array(other)
    if a.dtype.kind not in "iu" or np.asarray(b).dtype.kind not in "iu":
        fail_dtype(who, "integer tensors", f"{a.dtype} and {np.asarray(b).dtype}")
    return into(out, _test(ufunc, a, b))


def gcd(input: Any, other: Any, *, out: Any = None):  # noqa: A002
    return _integers("gcd", np.gcd, input, other, out)


def lcm(input: Any, other: Any, *, out: Any = None):  # noqa: A002
    return _integers("lcm", np.lcm, input, other, out)
