"""create_graph rule for grid_sample (see rules.py): GridSample's backward again, with each
tap's weight a Tensor function of the grid, so that a gradient penalty through a spatial
transformer reaches the grid through the weights as well as through x.

Along one axis a bilinear or nearest weight is affine in the coordinate wherever the taps stay
put (the floor, and the padding's fold or clamp, are locally constant): w0 + dw (coord - c0)
has its value and its slope, and no curvature, as torch's. A bicubic weight is the cubic
convolution's polynomial of the fractional position, written on Tensors."""

from __future__ import annotations

import itertools
import math

import numpy as np

from ..autograd.tensor import Tensor
from ..functional.grid_sample import GridSample, _axis_taps, _cubic, _unnormalize
from ..functional.shape import cat, stack
from .rules import const, rule


def _axis_weights(coord: Tensor, size: int, mode: str, padding_mode: str, align_corners: bool):
    """One axis's taps as (index, weight Tensor, d weight / d coord Tensor)."""
    at = coord._data
    taps = _axis_taps(at, size, mode, padding_mode, align_corners)
    shift = coord - const(at, coord)  # zero, with the coordinate's graph
    if mode != "bicubic":
        return [(index, const(w, coord) + const(dw, coord) * shift, const(dw, coord))
                for index, w, dw in taps]  # fmt: skip
    pos, scale = _unnormalize(at, size, align_corners)
    t = const(pos - np.floor(pos), coord) + shift * scale
    weights, slopes = _cubic(t)
    return [(index, w, dw * scale) for (index, _, _), w, dw in zip(taps, weights, slopes)]


@rule(GridSample)
def _grid_sample(ctx, out, grad):
    x, grid = ctx.inputs[:2]
    n, c, *spatial = ctx.shape
    d, plane = len(spatial), math.prod(spatial)
    q = math.prod(ctx.grid_shape[1:-1])
    axes = [
        _axis_weights(grid[..., d - 1 - k].reshape(n, q), spatial[k], *ctx.modes) for k in range(d)
    ]  # the grid's last axis lists (x, y[, z]): the last spatial axis first
    g, flat_x = grad.reshape(n, c, q), x.reshape(n, c, plane)
    need_x, need_grid = ctx.needs_input_grad[:2]
    rows = (np.arange(n)[:, None, None] * c + np.arange(c)[None, :, None]) * plane
    wheres, shares, grad_pos = [], [], [0.0] * d
    for combo in itertools.product(*axes):
        flat, valid = 0, True
        for (index, _, _), size in zip(combo, spatial):
            valid = valid & (index >= 0) & (index < size)
            flat = flat * size + np.clip(index, 0, size - 1)
        valid = const(valid, grad)
        weights = [w for _, w, _ in combo]
        if need_x:
            wheres.append((rows + flat[:, None, :]).ravel())
            shares.append((g * (math.prod(weights) * valid).unsqueeze(1)).reshape(-1))
        if need_grid:
            at = Tensor._wrap(np.ascontiguousarray(np.broadcast_to(flat[:, None, :], g.shape)))
            along = (flat_x.gather(2, at) * g).sum(1) * valid
            for k in range(d):
                others = math.prod(w for j, w in enumerate(weights) if j != k)
                grad_pos[k] = grad_pos[k] + along * combo[k][2] * others
    grad_x = grad_grid = None
    if need_x:
        zeros = const(np.zeros(n * c * plane), grad)
        where = Tensor._wrap(np.concatenate(wheres))
        grad_x = zeros.index_add(0, where, cat(shares)).reshape(ctx.shape)
    if need_grid:
        grad_grid = stack([grad_pos[d - 1 - k] for k in range(d)], -1).reshape(ctx.grid_shape)
    return grad_x, grad_grid
