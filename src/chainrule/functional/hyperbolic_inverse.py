"""acosh, asinh and atanh (torch's, with the arc* spellings), on NumPy's kernels."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from .sorting import _tensor


class Acosh(Function):
    """y = acosh x; dy/dx = 1 / sqrt((x - 1)(x + 1)) (factored: x^2 - 1 overflows first)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return np.arccosh(x)

    @staticmethod
    def backward(ctx, grad_y):
        x = ctx.x
        with np.errstate(divide="ignore", invalid="ignore"):
            return grad_y / (np.sqrt(x - 1) * np.sqrt(x + 1))


class Asinh(Function):
    """y = asinh x; dy/dx = 1 / sqrt(x^2 + 1)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return np.arcsinh(x)

    @staticmethod
    def backward(ctx, grad_y):
        with np.errstate(over="ignore"):
            return grad_y / np.sqrt(ctx.x * ctx.x + 1)


class Atanh(Function):
    """y = atanh x; dy/dx = 1 / (1 - x^2) (inf at |x| = 1, as torch)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.arctanh(x)

    @staticmethod
    def backward(ctx, grad_y):
        with np.errstate(divide="ignore", invalid="ignore"):
            return grad_y / (1 - ctx.x * ctx.x)


def acosh(input: Any):  # noqa: A002
    return Acosh.apply(_tensor(input))


def asinh(input: Any):  # noqa: A002
    return Asinh.apply(_tensor(input))


def atanh(input: Any):  # noqa: A002
    return Atanh.apply(_tensor(input))
