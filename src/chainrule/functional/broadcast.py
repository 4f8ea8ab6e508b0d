"""expand and repeat: one tensor seen at a larger shape; the gradient sums the copies back."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._checks import check_allocation, shape_str
from ..autograd.function import Function, unbroadcast
from ..errors import ShapeError


class Expand(Function):
    """y = x broadcast to ``shape`` (a read-only view, as torch's expand); dx = the sum of dy
    over the broadcast axes."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.save(shape=x.shape)
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, grad_y):
        return unbroadcast(grad_y, ctx.shape)


class Repeat(Function):
    """y = x tiled ``reps`` times along each axis; dx = the sum of the tiles of dy."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, reps):
        padded = (1,) * (len(reps) - x.ndim) + x.shape
        ctx.save(reps=reps, padded=padded, original=x.shape)
        return np.tile(x, reps)

    @staticmethod
    def backward(ctx, grad_y):
        interleaved = [n for pair in zip(ctx.reps, ctx.padded) for n in pair]
        tiles = tuple(range(0, len(interleaved), 2))
        return grad_y.reshape(interleaved).sum(axis=tiles).reshape(ctx.original)


def _sizes(sizes: tuple) -> tuple:
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        return tuple(sizes[0])
    return tuple(int(s) for s in sizes)


def expand(x: Any, *sizes: Any):
    """x at ``sizes``; -1 keeps that dim, new dims are added in front (torch.Tensor.expand)."""
    sizes = _sizes(sizes)
    shape = tuple(x.shape)
    if len(sizes) < len(shape):
        raise ShapeError(
            f"expand: expected at least {len(shape)} sizes for a tensor of shape "
            f"{shape_str(shape)}, got {len(sizes)}."
        )
    lead = len(sizes) - len(shape)
    target = tuple(shape[i - lead] if s == -1 and i >= lead else s for i, s in enumerate(sizes))
    for i, n in enumerate(shape):
        if n != 1 and target[i + lead] != n:
            raise ShapeError(
                f"expand: expected size {n} or a size-1 axis at dim {i + lead}, got "
                f"{target[i + lead]} for a tensor of shape {shape_str(shape)}."
            )
    if any(s < 0 for s in target):
        raise ShapeError(f"expand: expected non-negative sizes, got {sizes}.")
    return Expand.apply(x, shape=target)


def repeat(x: Any, *sizes: Any):
    """x tiled ``sizes`` times along each dim (torch.Tensor.repeat)."""
    reps = _sizes(sizes)
    if any(isinstance(r, bool) or not isinstance(r, (int, np.integer)) or r < 0 for r in reps):
        raise ShapeError(f"repeat: expected repeat counts that are ints >= 0, got {tuple(reps)}.")
    if len(reps) < x.ndim:
        raise ShapeError(f"repeat: expected at least {x.ndim} repeat counts, got {len(reps)}.")
    check_allocation("repeat", x.numel() * math.prod(reps), x.dtype.itemsize, f"repeats {reps}")
    return Repeat.apply(x, reps=reps)
