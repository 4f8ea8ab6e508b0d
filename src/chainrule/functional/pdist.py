"""torch.pdist: the p-norm distances between every pair of rows i < j of an (N, M) matrix, in
row-major order of the pairs (the condensed form of cdist's upper triangle)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import shape_str
from ..autograd.function import Function
from ..errors import ArgumentError, ShapeError
from .sorting import _tensor


class Pdist(Function):
    """y_k = ||x_i - x_j||_p over pairs k = (i, j); with d = x_i - x_j,
    dy/dx_i = sign(d) |d|^(p-1) / y^(p-1) = -dy/dx_j (sign(d) where |d| = y for p = inf, and
    0 where y = 0, as torch's _pdist_backward)."""

    @staticmethod
    def forward(ctx, x, p=2.0):
        n = x.shape[0]
        rows, cols = np.triu_indices(n, 1)
        diff = x[rows] - x[cols]
        a = np.abs(diff)
        if p == 0:
            y = (a != 0).sum(-1).astype(x.dtype)
        elif np.isinf(p):
            y = a.max(-1, initial=0.0)
        else:
            y = (a**p).sum(-1) ** (1.0 / p) if p != 2 else np.sqrt((diff * diff).sum(-1))
        ctx.save(diff=diff, y=y, p=p, rows=rows, cols=cols, n=n)
        return y.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        diff, y, p = ctx.diff, ctx.y[:, None], ctx.p
        with np.errstate(divide="ignore", invalid="ignore"):
            if p == 0:
                slope = np.zeros_like(diff)
            elif p == 1:
                slope = np.sign(diff)
            elif np.isinf(p):
                slope = np.sign(diff) * (np.abs(diff) == y)
            elif p < 1:
                slope = np.sign(diff) * np.abs(diff) ** (p - 1) / y ** (p - 1)
                slope = np.where(diff == 0, 0.0, slope)
            else:
                slope = np.sign(diff) * np.abs(diff) ** (p - 1) / y ** (p - 1)
            slope = np.where(y == 0, 0.0, slope)
        contribution = grad_y[:, None] * slope
        grad_x = np.zeros((ctx.n, diff.shape[1]), diff.dtype)
        np.add.at(grad_x, ctx.rows, contribution)
        np.add.at(grad_x, ctx.cols, -contribution)
        return grad_x.astype(diff.dtype, copy=False)


def pdist(input: Any, p: float = 2):  # noqa: A002
    """The N (N - 1) / 2 pairwise p-norm distances of an (N, M) input's rows, as torch.pdist.

    >>> import chainrule as cr
    >>> cr.pdist(cr.tensor([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]]))
    tensor([5.0000, 1.0000, 4.2426])
    """
    x = _tensor(input)
    if x.ndim != 2:
        raise ShapeError(f"pdist: expected a 2-D input (N, M), got {shape_str(tuple(x.shape))}.")
    if x.dtype.kind != "f":
        raise ArgumentError(f"pdist: expected a floating-point input, got dtype {x.dtype}.")
    if not p >= 0:
        raise ArgumentError(f"pdist: expected a non-negative p, got {p}.")
    return Pdist.apply(x, p=float(p))
