"""The special functions these distributions need and the core lacks, as Functions: the
regularised incomplete gamma P(a, x) (Gamma.cdf), log I0 and log I1 (VonMises), and the Gamma draw
whose gradient to its shape is the implicit reparameterisation dz/da = -(dP/da) / p(z; a).

Everything is computed in float64 and cast back; P(a, x) by its series below a + 1 and by
Lentz's continued fraction for 1 - P above, the two textbook regions where each converges fast."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..autograd.tensor import Tensor
from ..functional.special_functions import lgamma_array
from ..random import as_generator

_ITERATIONS = 400  # enough for shapes up to ~1e4 at float64 precision


def _log_density(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """log of the standard Gamma(a) density at x."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (a - 1) * np.log(x) - x - lgamma_array(a)


def _gammainc_parts(a: np.ndarray, x: np.ndarray, lower: Any = None) -> tuple:
    """(log_front, tail, lower): P = exp(log_front) tail where lower, else 1 - P is; each tail is
    kept apart so that a far tail keeps its relative accuracy."""
    log_front = a * np.log(x) - x - lgamma_array(a)
    tail = np.zeros(a.shape)
    lower = x < a + 1 if lower is None else lower
    series = lower & (x > 0)
    if series.any():
        aa, xx = a[series], x[series]
        term = 1.0 / aa
        total = term.copy()
        for n in range(1, _ITERATIONS):
            term = term * xx / (aa + n)
            total += term
        tail[series] = total
    fraction = ~lower
    if fraction.any():
        aa, xx = a[fraction], x[fraction]
        tiny = 1e-300
        b = xx + 1 - aa
        c = np.full(aa.shape, 1 / tiny)
        d = 1 / b
        h = d.copy()
        for i in range(1, _ITERATIONS):
            an = -i * (i - aa)
            b = b + 2
            d = an * d + b
            d = np.where(np.abs(d) < tiny, tiny, d)
            c = b + an / c
            c = np.where(np.abs(c) < tiny, tiny, c)
            d = 1 / d
            h = h * d * c
        tail[fraction] = h
    return log_front, tail, lower


def gammainc_array(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    a, x = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        log_front, tail, lower = _gammainc_parts(a, x)
        part = np.exp(log_front) * tail
        out = np.where(lower, part, 1 - part)
    out[x <= 0] = 0.0
    out[np.isinf(x) & (x > 0)] = 1.0
    out[np.isnan(a) | np.isnan(x)] = np.nan
    return out


def _dgammainc_da(a: np.ndarray, x: np.ndarray, log_scale: np.ndarray) -> np.ndarray:
    """exp(-log_scale) dP(a, x)/da by a central difference on P's (or 1 - P's) own tail, so a
    far tail keeps its digits; P is accurate to ~1e-15, the difference to ~1e-9."""
    h = np.minimum(1e-5 * np.maximum(a, 1.0), a / 2)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        lower = x < a + 1  # one region for both sides: the difference of one quantity
        front_up, tail_up, _ = _gammainc_parts(a + h, x, lower)
        front_down, tail_down, _ = _gammainc_parts(a - h, x, lower)
        up = np.exp(front_up - log_scale) * tail_up
        down = np.exp(front_down - log_scale) * tail_down
        derivative = (up - down) / (2 * h)
    return np.where(lower, derivative, -derivative)


class Gammainc(Function):
    """P(a, x) = gamma(a, x) / Gamma(a); dP/dx = x^(a-1) e^-x / Gamma(a), dP/da numerically."""

    @staticmethod
    def forward(ctx, a, x):
        ctx.save(a=a, x=x)
        return gammainc_array(a, x).astype(np.result_type(a, x))

    @staticmethod
    def backward(ctx, grad_y):
        a, x = np.broadcast_arrays(ctx.a.astype(np.float64), ctx.x.astype(np.float64))
        grad_x = np.exp(_log_density(a, x)) * grad_y
        grad_a = _dgammainc_da(a, x, np.zeros(a.shape)) * grad_y
        return grad_a.astype(ctx.a.dtype), grad_x.astype(ctx.x.dtype)


class StandardGamma(Function):
    """z ~ Gamma(alpha, 1); dz/dalpha = -(dP(alpha, z)/dalpha) / p(z; alpha), the implicit
    reparameterisation gradient (Figurnov et al., 2018) that torch's _standard_gamma_grad gives."""

    @staticmethod
    def forward(ctx, alpha):
        z = as_generator(None).standard_gamma(alpha.astype(np.float64))
        z = np.maximum(z, np.finfo(alpha.dtype).tiny)  # torch clamps draws the same way
        ctx.save(alpha=alpha, z=z)
        return z.astype(alpha.dtype)

    @staticmethod
    def backward(ctx, grad_y):
        return (standard_gamma_grad(ctx.alpha, ctx.z) * grad_y).astype(ctx.alpha.dtype)


def standard_gamma_grad(alpha: np.ndarray, z: np.ndarray) -> np.ndarray:
    alpha, z = alpha.astype(np.float64), z.astype(np.float64)
    return -_dgammainc_da(alpha, z, _log_density(alpha, z))


def standard_gamma(alpha: Tensor) -> Tensor:
    return StandardGamma.apply(alpha)


def _log_bessel_array(x: np.ndarray, order: int) -> np.ndarray:
    """log I_order(x), x >= 0: the power series to 30, the large-x expansion beyond."""
    x = np.asarray(x, np.float64)
    out = np.empty(x.shape)
    small = x <= 30
    xs = x[small]
    term = (xs / 2) ** order / (1.0 if order == 0 else 1.0)
    total = term.copy()
    quarter = xs * xs / 4
    for k in range(1, 120):
        term = term * quarter / (k * (k + order))
        total += term
    with np.errstate(divide="ignore"):
        out[small] = np.log(total)
    xl = x[~small]
    mu = 4.0 * order * order
    series, factor = np.ones(xl.shape), np.ones(xl.shape)
    for k in range(1, 12):
        factor = -factor * (mu - (2 * k - 1) ** 2) / (k * 8 * xl)
        series += factor
    out[~small] = xl - 0.5 * np.log(2 * np.pi * xl) + np.log(series)
    return out


class LogBessel(Function):
    """y = log I_n(x), n in {0, 1}; d log I0/dx = I1 / I0, d log I1/dx = I0 / I1 - 1 / x."""

    @staticmethod
    def forward(ctx, x, order=0):
        y = _log_bessel_array(x, order)
        ctx.save(x=x, y=y)
        ctx.order = order
        return y.astype(x.dtype)

    @staticmethod
    def backward(ctx, grad_y):
        if ctx.order == 0:
            slope = np.exp(_log_bessel_array(ctx.x, 1) - ctx.y)
        else:
            with np.errstate(divide="ignore"):
                slope = np.exp(_log_bessel_array(ctx.x, 0) - ctx.y) - 1 / ctx.x
        return (grad_y * slope).astype(ctx.x.dtype)


def log_bessel(x: Tensor, order: int) -> Tensor:
    return LogBessel.apply(x, order=order)


def gammainc(a: Tensor, x: Tensor) -> Tensor:
    return Gammainc.apply(a, x)
