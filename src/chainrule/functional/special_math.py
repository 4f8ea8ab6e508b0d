"""The special functions torch.special has and the core ops lack: erfinv, an accurate erfc and
ndtr, lgamma (gammaln) and digamma, xlogy, entr and sinc; each a Function with its derivative.

NumPy has none of them and the core does not depend on SciPy: lgamma is Python's math.lgamma
per element (exact, a Python call per number), digamma and its derivative trigamma are the
recurrence up to x >= 10 and then the asymptotic series (about 1e-15 relative), erfinv is
Giles' approximation polished by two Newton steps on the accurate erf/erfc of _erf.py.
"""

from __future__ import annotations

import math

import numpy as np

from ..autograd.function import Function
from ._erf import _erfc_mid, _erfc_tail, _SMALL
from ._erf import erf as _erf
from .arithmetic import _broadcast_check, _summed

_SQRT_PI_OVER_2 = math.sqrt(math.pi) / 2
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)


def erfc_array(x: np.ndarray) -> np.ndarray:
    """erfc in float64, keeping its digits where it is tiny (x large), unlike 1 - erf(x)."""
    x = np.asarray(x, dtype=np.float64)
    out = np.array(1.0 - _erf(x))  # a copy: for a 0-d x, 1 - erf(x) is an immutable scalar
    far = x > _SMALL
    if far.any():
        y = x[far]
        out[far] = np.where(y <= 4.0, _erfc_mid(y), _erfc_tail(y))
    return out


class Erfc(Function):
    """y = erfc x = 1 - erf x; dy/dx = -2 / sqrt(pi) exp(-x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return erfc_array(x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * (-np.exp(-ctx.x * ctx.x) / _SQRT_PI_OVER_2).astype(ctx.x.dtype)


class Ndtr(Function):
    """y = P(Z <= x) for a standard normal Z = erfc(-x / sqrt 2) / 2; dy/dx = the normal pdf."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return (0.5 * erfc_array(-np.asarray(x, np.float64) / math.sqrt(2))).astype(x.dtype)

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * (_INV_SQRT_2PI * np.exp(-0.5 * ctx.x * ctx.x)).astype(ctx.x.dtype)


def erfinv_array(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        w = -np.log((1.0 - y) * (1.0 + y))
        central, tail = w - 2.5, np.sqrt(w) - 3.0
        p_c = np.full_like(y, 2.81022636e-08)
        for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087):
            p_c = c + p_c * central
        for c in (-0.00125372503, -0.00417768164, 0.246640727, 1.50140941):
            p_c = c + p_c * central
        p_t = np.full_like(y, -0.000200214257)
        for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773):
            p_t = c + p_t * tail
        for c in (-0.0076224613, 0.00943887047, 1.00167406, 2.83297682):
            p_t = c + p_t * tail
        x = np.where(w < 5.0, p_c, p_t) * y
        for _ in range(2):  # Newton on erf(x) = y, the residual from erfc where erf is near +-1
            residual = np.where(
                y > 0.5,
                (1.0 - y) - erfc_array(x),
                np.where(y < -0.5, erfc_array(-x) - (1.0 + y), _erf(x) - y),
            )
            step = residual / (np.exp(-x * x) / _SQRT_PI_OVER_2)
            x = np.where(np.isfinite(step), x - step, x)
    x[y == 1.0], x[y == -1.0] = np.inf, -np.inf
    x[np.abs(y) > 1.0] = np.nan
    return x


class Erfinv(Function):
    """x = erfinv y, the inverse of erf on (-1, 1); dx/dy = sqrt(pi) / 2 exp(x^2)."""

    saves_output = True

    @staticmethod
    def forward(ctx, y):
        x = erfinv_array(y).astype(y.dtype, copy=False)
        ctx.save(x=x)
        return x

    @staticmethod
    def backward(ctx, grad_y):
        with np.errstate(over="ignore"):
            return grad_y * (_SQRT_PI_OVER_2 * np.exp(ctx.x * ctx.x)).astype(ctx.x.dtype)


def _lgamma_scalar(v: float) -> float:
    try:
        return math.lgamma(v)
    except ValueError:  # a pole: 0 and the negative integers
        return math.inf


_lgamma = np.vectorize(_lgamma_scalar, otypes=[np.float64])


def digamma_array(x: np.ndarray, order: int = 0) -> np.ndarray:
    """psi(x) (order 0) or psi'(x) (order 1): reflect below 1/2, step up to 10, then the series."""
    x = np.asarray(x, dtype=np.float64)
    reflect = x < 0.5
    z = np.where(reflect, 1.0 - x, x)
    acc = np.zeros_like(z)
    for _ in range(10):
        low = z < 10.0
        acc -= np.where(low, 1.0 / z if order == 0 else -1.0 / (z * z), 0.0)
        z = np.where(low, z + 1.0, z)
    inv, inv2 = 1.0 / z, 1.0 / (z * z)
    if order == 0:
        series = np.log(z) - 0.5 * inv
        terms = (-1 / 12, 1 / 120, -1 / 252, 1 / 240, -1 / 132, 691 / 32760, -1 / 12)
    else:
        series = inv + 0.5 * inv2
        terms = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)
    power = inv2 if order == 0 else inv2 * inv
    for c in terms:
        series = series + c * power
        power = power * inv2
    out = series + acc
    with np.errstate(divide="ignore", invalid="ignore"):
        if order == 0:
            out = np.where(reflect, out - math.pi / np.tan(math.pi * x), out)
        else:
            out = np.where(reflect, (math.pi / np.sin(math.pi * x)) ** 2 - out, out)
    pole = (x <= 0) & (x == np.floor(x))
    out[pole] = np.nan
    if order == 0:
        out[x == 0] = -np.inf
    else:
        out[pole] = np.inf
    return out


class Lgamma(Function):
    """y = log |Gamma(x)|; dy/dx = digamma(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return _lgamma(x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * digamma_array(ctx.x).astype(ctx.x.dtype)


class Digamma(Function):
    """y = psi(x) = d/dx log Gamma(x); dy/dx = trigamma(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return digamma_array(x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * digamma_array(ctx.x, order=1).astype(ctx.x.dtype)


class Xlogy(Function):
    """z = x log y, 0 where x = 0 (unless y is NaN); dz/dx = log y, dz/dy = x / y (torch's)."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.shapes = None if x.shape == y.shape else _broadcast_check("xlogy", x, y)
        ctx.x, ctx.y = x, y
        with np.errstate(divide="ignore", invalid="ignore"):
            out = x * np.log(y)
        return np.where((x == 0) & ~np.isnan(y), np.zeros((), out.dtype), out)

    @staticmethod
    def backward(ctx, grad_y):
        x, y = ctx.x, ctx.y
        with np.errstate(divide="ignore", invalid="ignore"):
            grad_x = np.where((x == 0) & (y <= 0), 0.0, grad_y * np.log(y)).astype(grad_y.dtype)
            grad_other = grad_y * x / y
        if ctx.shapes is None:
            return grad_x, grad_other
        return _summed(ctx.shapes, grad_x, grad_other)


class Entr(Function):
    """y = -x log x for x > 0, 0 at 0, -inf below; dy/dx = -(1 + log x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.where(x > 0, -x * np.log(x), np.where(x == 0, 0.0, -np.inf))
        return np.where(np.isnan(x), x, y).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        with np.errstate(divide="ignore", invalid="ignore"):
            return grad_y * -(1 + np.log(ctx.x))


class Sinc(Function):
    """y = sin(pi x) / (pi x), 1 at 0; dy/dx = (cos(pi x) - y) / x, 0 at 0."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return np.sinc(x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        x = ctx.x
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = (np.cos(np.pi * x) - np.sinc(x)) / x
        return grad_y * np.where(x == 0, 0.0, slope).astype(x.dtype)
