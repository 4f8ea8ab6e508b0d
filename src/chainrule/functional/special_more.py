"""More of torch.special in float64 NumPy: Hurwitz's zeta and the polygamma functions built on
it, ndtri (the normal quantile), erfcx, and the Functions for them and for the Bessel functions
of bessel.py.

* zeta(s, q) = sum_k (q + k)^-s: the first terms summed until q + k > 9, then the Euler-Maclaurin
  tail with the Bernoulli numbers B_2..B_24 (the scheme of Cephes' zeta, which torch uses, with
  its coefficients (2j)! / B_2j worked out exactly here from the Bernoulli numbers).
* polygamma(n, x) = (-1)^(n+1) n! zeta(n + 1, x) for n >= 2 (digamma and trigamma below that).
* ndtri(p): erfinv's answer (or the tail's asymptote when p < 1e-3), polished by Newton steps on
  log_ndtr(x) = log p, which keep their relative accuracy far into the tail; ndtri(1 - p) is
  -ndtri(p), and 1 - p is exact for p >= 1/2.
* erfcx(x) = exp(x^2) erfc(x): directly below x = 2, above it Laplace's continued fraction
  erfc(x) = exp(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ..autograd.function import Function
from .special_functions import _polygamma_array, erfinv_array
from .special_math import LogNdtr, erfc_array

_BERNOULLI = (
    Fraction(1, 6),
    Fraction(-1, 30),
    Fraction(1, 42),
    Fraction(-1, 30),
    Fraction(5, 66),
    Fraction(-691, 2730),
    Fraction(7, 6),
    Fraction(-3617, 510),
    Fraction(43867, 798),
    Fraction(-174611, 330),
    Fraction(854513, 138),
    Fraction(-236364091, 2730),
)
_EULER_MACLAURIN = tuple(
    float(math.factorial(2 * j + 2) / b) for j, b in enumerate(_BERNOULLI)
)  # (2j)! / B_2j: 12, -720, 30240, ...
_SQRT_2PI = math.sqrt(2 * math.pi)


def zeta_array(s: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Hurwitz's zeta in float64, with torch's (Cephes') conventions: inf at s = 1, NaN for
    s < 1, inf at q a non-positive integer, NaN for q < 0 with s not an integer."""
    s, q = np.broadcast_arrays(np.asarray(s, np.float64), np.asarray(q, np.float64))
    shape = s.shape
    s, q = s.reshape(-1), q.reshape(-1)
    with np.errstate(all="ignore"):
        total = q**-s
        a = q.copy()
        i = 0
        while True:  # at least nine terms more, and on until a > 9
            going = (i < 9) | (a <= 9.0)
            if not going.any():
                break
            i += 1
            a = np.where(going, a + 1.0, a)
            total = total + np.where(going, a**-s, 0.0)
        b = a**-s
        total = total + b * a / (s - 1.0) - 0.5 * b
        factor, power = np.ones_like(s), b
        for j, coefficient in enumerate(_EULER_MACLAURIN):
            factor = factor * (s + 2 * j)
            power = power / a
            total = total + factor * power / coefficient
            factor = factor * (s + 2 * j + 1)
            power = power / a
    total = np.where(s == 1.0, np.inf, np.where(s < 1.0, np.nan, total))
    pole = (q <= 0) & (q == np.floor(q))
    total = np.where(pole & (s >= 1.0), np.inf, total)
    total = np.where((q < 0) & ~pole & (s != np.floor(s)), np.nan, total)
    return total.reshape(shape)


def polygamma_array(n: int, x: np.ndarray) -> np.ndarray:
    if n <= 1:
        return _polygamma_array(x, n)
    sign = 1.0 if n % 2 else -1.0
    with np.errstate(over="ignore", invalid="ignore"):
        return sign * math.exp(math.lgamma(n + 1.0)) * zeta_array(n + 1.0, x)


def ndtri_array(p: np.ndarray) -> np.ndarray:
    p = np.asarray(p, np.float64)
    upper = p > 0.5
    low = np.where(upper, 1.0 - p, p)  # exact for p >= 1/2 (Sterbenz)
    inside = (low > 0) & (low <= 0.5)
    low_in = np.where(inside, low, 0.25)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        central = math.sqrt(2) * erfinv_array(2 * low_in - 1)
        t = -2 * np.log(low_in)
        tail = -np.sqrt(t - np.log(t) - math.log(2 * math.pi))
        x = np.where(low_in < 1e-3, tail, central)
        log_p = np.log(low_in)
        for _ in range(5):
            log_cdf = LogNdtr.forward(LogNdtr(), x)
            # d/dx log ndtr(x) = pdf(x) / ndtr(x) = exp(log pdf - log cdf)
            slope = np.exp(-0.5 * x * x - math.log(_SQRT_2PI) - log_cdf)
            x = x - (log_cdf - log_p) / slope
    x = np.where(inside, x, np.where(low == 0, -np.inf, np.nan))
    return np.where(upper, -x, x)


def erfcx_array(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, np.float64)
    near = x < 2.0
    with np.errstate(over="ignore", invalid="ignore"):
        direct = np.exp(x * x) * erfc_array(np.where(near, x, 0.0))
        y = np.where(near, 2.0, x)
        tail = y.copy()
        for k in range(160, 0, -1):  # the continued fraction, evaluated from the bottom up
            tail = y + (0.5 * k) / tail
        far = 1.0 / (math.sqrt(math.pi) * tail)
    out = np.where(near, direct, far)
    return np.where(np.isposinf(x), 0.0, out)


def _float(x: np.ndarray, values: np.ndarray) -> np.ndarray:
    return values.astype(x.dtype if x.dtype.kind == "f" else np.float64, copy=False)


class Polygamma(Function):
    """y = psi^(n)(x), the n-th derivative of digamma; dy/dx = psi^(n+1)(x)."""

    @staticmethod
    def forward(ctx, x, n=0):
        ctx.save(x=x, n=n)
        return _float(x, polygamma_array(n, x))

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * _float(ctx.x, polygamma_array(ctx.n + 1, ctx.x))


class Zeta(Function):
    """y = zeta(s, q); dy/dq = -s zeta(s + 1, q). Its s-derivative, as torch's, is not offered."""

    @staticmethod
    def forward(ctx, s, q):
        ctx.save(s=s, q=q)
        return _float(q, zeta_array(s, q))

    @staticmethod
    def backward(ctx, grad_y):
        if ctx.needs_input_grad[0]:
            from ..errors import UnsupportedError

            raise UnsupportedError(
                "zeta: expected no gradient for x (the exponent s), got a "
                "request for one; torch does not define it either."
            )
        from ..autograd.function import unbroadcast

        slope = -ctx.s * zeta_array(ctx.s + 1.0, ctx.q)
        return None, unbroadcast(grad_y * _float(ctx.q, slope), ctx.q.shape)


class Ndtri(Function):
    """y = the p-quantile of the standard normal; dy/dp = sqrt(2 pi) exp(y^2 / 2)."""

    saves_output = True

    @staticmethod
    def forward(ctx, p):
        y = _float(p, ndtri_array(p))
        ctx.save(y=y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        with np.errstate(over="ignore"):
            return grad_y * (_SQRT_2PI * np.exp(0.5 * ctx.y * ctx.y)).astype(ctx.y.dtype)


class Erfcx(Function):
    """y = exp(x^2) erfc(x); dy/dx = 2 x y - 2 / sqrt(pi)."""

    @staticmethod
    def forward(ctx, x):
        y = _float(x, erfcx_array(x))
        ctx.save(x=x, y=y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * (2 * ctx.x * ctx.y - 2 / math.sqrt(math.pi)).astype(ctx.y.dtype)
