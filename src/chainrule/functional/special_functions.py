"""erfinv, lgamma and digamma on whole arrays, in NumPy (the core may not depend on SciPy).

* erfinv: M. Giles' single-precision polynomials ("Approximating the erfinv function", GPU
  Computing Gems, 2011) as a start, then two Newton steps on erf (or on erfc near +-1, where
  1 - |x| is exact and erf's absolute error would swamp the step) to float64 accuracy.
* lgamma: Lanczos' series with g = 7 and nine terms (Numerical Recipes' coefficients, relative
  error below 1e-15) for x >= 0.5, and the reflection formula
  lgamma(x) = log(pi / |sin(pi x)|) - lgamma(1 - x) below.
* digamma and trigamma (digamma's derivative): the recurrence psi(x) = psi(x + 1) - 1/x up to
  x >= 10, then their asymptotic (Bernoulli-number) series; reflection for x < 0.5.

Each is tested against torch on a dense grid (tests/test_tensorapi_math.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ._erf import _erfc_mid, _erfc_tail, _MID
from ._erf import erf as _erf
from .sorting import _tensor

_GILES_CENTRAL = (
    2.81022636e-08,
    3.43273939e-07,
    -3.5233877e-06,
    -4.39150654e-06,
    0.00021858087,
    -0.00125372503,
    -0.00417768164,
    0.246640727,
    1.50140941,
)
_GILES_TAIL = (
    -0.000200214257,
    0.000100950558,
    0.00134934322,
    -0.00367342844,
    0.00573950773,
    -0.0076224613,
    0.00943887047,
    1.00167406,
    2.83297682,
)
_LANCZOS = (
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
)
_HALF_LOG_TWO_PI = 0.5 * np.log(2 * np.pi)
# psi(x) ~ log x - 1/(2x) - sum B_2k / (2k x^2k); psi'(x) ~ 1/x + 1/(2x^2) + sum B_2k / x^(2k+1)
_DIGAMMA_SERIES = (1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12)
_TRIGAMMA_SERIES = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)


def _horner(coefficients: tuple, w: np.ndarray) -> np.ndarray:
    p = np.full_like(w, coefficients[0])
    for c in coefficients[1:]:
        p = p * w + c
    return p


def _erfc_positive(y: np.ndarray) -> np.ndarray:
    return np.where(y <= _MID, _erfc_mid(np.minimum(y, _MID)), _erfc_tail(np.maximum(y, _MID)))


def erfinv_array(x: np.ndarray) -> np.ndarray:
    """erfinv in float64; +-inf at +-1 and NaN outside [-1, 1], as torch."""
    shape = np.shape(x)
    x = np.asarray(x, dtype=np.float64).reshape(-1)  # (erf's kernels work in place on 1-D)
    a = np.abs(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = -np.log((1.0 - a) * (1.0 + a))
        y = (
            np.where(
                w < 5.0, _horner(_GILES_CENTRAL, w - 2.5), _horner(_GILES_TAIL, np.sqrt(w) - 3.0)
            )
            * a
        )
        inside = a < 1.0
        y = np.where(inside, y, np.where(a == 1.0, np.inf, np.nan))
        for _ in range(2):
            slope = (2.0 / np.sqrt(np.pi)) * np.exp(-y * y)
            near_one = a > 0.5
            far = (_erf(y) - a) / slope
            close = ((1.0 - a) - _erfc_positive(np.where(inside, y, 1.0))) / slope
            y = np.where(inside, y - np.where(near_one, close, far), y)
    return np.copysign(y, x).reshape(shape)


def _lgamma_right(x: np.ndarray) -> np.ndarray:
    """lgamma for x >= 0.5 (Lanczos: Gamma(z + 1) = sqrt(2 pi) t^(z + 1/2) e^-t A(z))."""
    z = x - 1.0
    series = np.full_like(z, _LANCZOS[0])
    for k, c in enumerate(_LANCZOS[1:], start=1):
        series = series + c / (z + k)
    t = z + 7.5
    return _HALF_LOG_TWO_PI + (z + 0.5) * np.log(t) - t + np.log(series)


def lgamma_array(x: np.ndarray) -> np.ndarray:
    """log|Gamma(x)| in float64: +inf at 0 and the negative integers, as torch."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        right = _lgamma_right(np.where(x >= 0.5, x, 1.0 - x))
        sine = np.abs(np.sin(np.pi * (x - np.floor(x))))  # exactly 0 at the integers
        left = np.log(np.pi / sine) - right
        out = np.where(x >= 0.5, right, left)
    out[np.isinf(x)] = np.inf
    out[(x == 1.0) | (x == 2.0)] = 0.0  # exact, as torch's (the series leaves 1e-16 there)
    return out


def _polygamma_array(x: np.ndarray, order: int) -> np.ndarray:
    """digamma (order 0) or trigamma (order 1) in float64, by recurrence, series and reflection."""
    x = np.asarray(x, dtype=np.float64)
    reflect = x < 0.5
    z = np.where(reflect, 1.0 - x, x)
    shift = np.zeros_like(z)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(10):
            low = z < 10.0
            shift = shift + np.where(low, 1.0 / z if order == 0 else 1.0 / (z * z), 0.0)
            z = np.where(low, z + 1.0, z)
        inverse_square = 1.0 / (z * z)
        if order == 0:
            tail = _horner(_DIGAMMA_SERIES[::-1], inverse_square) * inverse_square
            value = np.log(z) - 0.5 / z - tail - shift
            mirrored = value - np.pi / np.tan(np.pi * x)
        else:
            tail = _horner(_TRIGAMMA_SERIES[::-1], inverse_square) * inverse_square / z
            value = 1.0 / z + 0.5 * inverse_square + tail + shift
            mirrored = (np.pi / np.sin(np.pi * x)) ** 2 - value
        out = np.where(reflect, mirrored, value)
    poles = (x <= 0) & (x == np.floor(x))
    out[poles] = -np.inf if order == 0 else np.inf
    if order == 0:
        out[poles & (x < 0)] = np.nan  # torch: -inf at 0, NaN at the negative integers
        out[(x == 0) & np.signbit(x)] = np.inf  # and inf at -0, the limit from below
    out[np.isposinf(x)] = np.inf if order == 0 else 0.0
    return out


def _float_out(x: np.ndarray, values: np.ndarray) -> np.ndarray:
    return values.astype(x.dtype if x.dtype.kind == "f" else np.float64, copy=False)


class Erfinv(Function):
    """y = erfinv x; dy/dx = sqrt(pi) / 2 exp(y^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)  # y is recomputed in backward, as torch does, so y may change in place
        return _float_out(x, erfinv_array(x))

    @staticmethod
    def backward(ctx, grad_y):
        y = _float_out(ctx.x, erfinv_array(ctx.x))
        with np.errstate(over="ignore"):
            return grad_y * (0.5 * np.sqrt(np.pi) * np.exp(y * y)).astype(y.dtype)


class Lgamma(Function):
    """y = log|Gamma(x)|; dy/dx = digamma(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return _float_out(x, lgamma_array(x))

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * _polygamma_array(ctx.x, 0).astype(ctx.x.dtype)


class Digamma(Function):
    """y = digamma(x) = d/dx log Gamma(x); dy/dx = trigamma(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return _float_out(x, _polygamma_array(x, 0))

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * _polygamma_array(ctx.x, 1).astype(ctx.x.dtype)


def erfinv(input: Any, *, out: Any = None):  # noqa: A002
    from .comparison import into

    return into(out, Erfinv.apply(_tensor(input)))


def lgamma(input: Any, *, out: Any = None):  # noqa: A002
    from .comparison import into

    return into(out, Lgamma.apply(_tensor(input)))


def digamma(input: Any, *, out: Any = None):  # noqa: A002
    from .comparison import into

    return into(out, Digamma.apply(_tensor(input)))
