"""The special functions only torch.special has: an erfc that keeps its digits in the tail, ndtr
and entr, each a Function with its derivative (erfinv, lgamma, digamma, xlogy, sinc and logit are
torch-level ops, in special_functions.py, binary_math.py and unary_math.py, which torch.special
shares)."""

from __future__ import annotations

import math

import numpy as np

from ..autograd.function import Function
from ._erf import _erfc_mid, _erfc_tail, _SMALL
from ._erf import erf as _erf

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


class LogNdtr(Function):
    """y = log P(Z <= x); dy/dx = pdf(x) / ndtr(x) = exp(log pdf(x) - y). log(ndtr(x)) would
    give -inf once ndtr underflows (x < -13 in float32); the tail uses the asymptotic series."""

    @staticmethod
    def forward(ctx, x):
        z = np.asarray(x, np.float64)
        y, tail = np.empty_like(z), z < -20.0
        with np.errstate(divide="ignore"):  # log(0) = -inf where x = -inf, as torch
            y[~tail] = np.log(0.5 * erfc_array(-z[~tail] / math.sqrt(2)))
        right = z > 0  # log(1 - ndtr(-x)) by log1p: log(ndtr(x)) would round it to 0 past x = 8
        y[right] = np.log1p(-0.5 * erfc_array(z[right] / math.sqrt(2)))
        t, inv2 = z[tail], 1.0 / (z[tail] * z[tail])
        # sum_k (-1)^k (2k - 1)!! / x^2k: sixteen terms reach 1e-20 at x = -20 (four gave 1e-10)
        term, correction = np.ones_like(t), np.zeros_like(t)
        for k in range(1, 17):
            term = term * -(2 * k - 1) * inv2
            correction = correction + term
        series = np.log1p(correction)
        y[tail] = -0.5 * t * t - np.log(-t) - 0.5 * math.log(2 * math.pi) + series
        ctx.save(x=z, y=y, dtype=x.dtype)
        return y.astype(x.dtype)

    @staticmethod
    def backward(ctx, grad_y):
        with np.errstate(invalid="ignore"):  # x = -inf: the ratio's limit is inf
            ratio = np.exp(-0.5 * ctx.x * ctx.x - 0.5 * math.log(2 * math.pi) - ctx.y)
        return grad_y * ratio.astype(ctx.dtype)


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
