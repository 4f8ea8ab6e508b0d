"""sin and cos, each the other's derivative."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..autograd.function import quietly


class Sin(Function):
    """y = sin x; dy/dx = cos x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return quietly(np.sin, x)  # sin(inf) is NaN, quietly as torch

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * quietly(np.cos, ctx.x)


class Cos(Function):
    """y = cos x; dy/dx = -sin x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return quietly(np.cos, x)

    @staticmethod
    def backward(ctx, grad_y):
        return -grad_y * quietly(np.sin, ctx.x)


def sin(x: Any):
    return Sin.apply(x)


def cos(x: Any):
    return Cos.apply(x)
