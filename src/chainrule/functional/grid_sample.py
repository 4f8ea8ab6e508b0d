"""affine_grid and grid_sample: the two halves of a spatial transformer.

affine_grid maps each output pixel's normalized position through a batch of affine matrices;
grid_sample reads the input at those positions. Every sampling mode here is a sum over taps:
along each spatial axis a few integer source indices, each with a weight that depends on the
fractional position (bilinear: 2 taps, bicubic: 4, nearest: 1). A tap of the product grid
weighs the product of its axes' weights, so one gather and one scatter serve every mode, and
the grid's gradient is the weight's derivative along one axis times the others' weights.
"""

from __future__ import annotations

import itertools
import math
import warnings
from typing import Any

import numpy as np

from .._checks import check_tensor, fail_dtype, fail_shape, fail_value, shape_str
from ..autograd.function import Function
from ..autograd.tensor import Tensor
from ..errors import UnsupportedError

_MODES = ("bilinear", "nearest", "bicubic")
_PADDINGS = ("zeros", "border", "reflection")
_A = -0.75  # the cubic convolution's parameter, torch's (and OpenCV's) choice
_DEFAULT_WARNING = (
    "Default grid_sample and affine_grid behavior has changed to align_corners=False since "
    "1.3.0. Please specify align_corners=True if the old behavior is desired. See the "
    "documentation of grid_sample for details."
)


def _clip(pos: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Clamp to [0, size - 1]; the clamped places pass no gradient (torch's, even at the edge)."""
    inside = (pos > 0) & (pos < size - 1)
    return np.clip(pos, 0, size - 1), inside.astype(pos.dtype)


def _reflect(pos: np.ndarray, twice_low: int, twice_high: int) -> tuple[np.ndarray, np.ndarray]:
    """Fold pos into [low, high] by mirroring at both ends; the sign is the gradient's."""
    if twice_low == twice_high:  # a one-pixel axis with align_corners: every point is 0
        return np.zeros_like(pos), np.zeros_like(pos)
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    offset = pos - low
    sign = np.where(offset < 0, -1, 1).astype(pos.dtype)
    offset = np.abs(offset)
    extra = np.fmod(offset, span)
    odd = np.floor(offset / span) % 2 == 1
    return np.where(odd, span - extra + low, extra + low), np.where(odd, -sign, sign)


def _pad(pos: np.ndarray, size: int, padding_mode: str, align_corners: bool):
    """Where padding_mode sends a source position, with d(new)/d(old)."""
    grad = np.ones_like(pos)
    if padding_mode == "reflection":
        bounds = (0, 2 * (size - 1)) if align_corners else (-1, 2 * size - 1)
        pos, grad = _reflect(pos, *bounds)
    if padding_mode != "zeros":
        pos, inside = _clip(pos, size)
        grad = grad * inside
    return pos, grad


def _unnormalize(coord: np.ndarray, size: int, align_corners: bool):
    """[-1, 1] to pixel units: corners' centres (align_corners) or their outer edges."""
    if align_corners:
        return ((coord + 1) / 2) * (size - 1), (size - 1) / 2
    return ((coord + 1) * size - 1) / 2, size / 2


def _cubic(t: np.ndarray) -> tuple[list, list]:
    """The four cubic-convolution weights at distances 1 + t, t, 1 - t, 2 - t, and d/dt."""
    a = _A

    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    def near_grad(x):
        return (3 * (a + 2) * x - 2 * (a + 3)) * x

    def far_grad(x):
        return (3 * a * x - 10 * a) * x + 8 * a

    weights = [far(t + 1), near(t), near(1 - t), far(2 - t)]
    grads = [far_grad(t + 1), near_grad(t), -near_grad(1 - t), -far_grad(2 - t)]
    return weights, grads


def _axis_taps(coord: np.ndarray, size: int, mode: str, padding_mode: str, align_corners: bool):
    """One axis's taps as (index, weight, d weight / d coord) triples, chained through padding."""
    pos, scale = _unnormalize(coord, size, align_corners)
    with np.errstate(invalid="ignore"):  # inf or NaN coordinates read nothing, as in torch
        if mode == "bicubic":  # the taps are padded one by one; the position is not
            base = np.floor(pos)
            weights, grads = _cubic(pos - base)
            taps = []
            for i in range(4):
                index = _pad(base + (i - 1), size, padding_mode, align_corners)[0]
                taps.append((index.astype(np.int64), weights[i], grads[i] * scale))
            return taps
        pos, grad = _pad(pos, size, padding_mode, align_corners)
        grad = grad * scale
        if mode == "nearest":
            return [(np.rint(pos).astype(np.int64), np.ones_like(pos), np.zeros_like(pos))]
        low = np.floor(pos)
        frac = pos - low
        low = low.astype(np.int64)
        return [(low, 1 - frac, -grad), (low + 1, frac, grad)]


def _product_taps(axes: list, spatial: tuple):
    """Each tap of the product grid: flat source index, validity, weight, d weight per axis."""
    for combo in itertools.product(*axes):
        flat, valid = 0, True
        for (index, _, _), size in zip(combo, spatial):
            valid = valid & (index >= 0) & (index < size)
            flat = flat * size + np.clip(index, 0, size - 1)
        weights = [w for _, w, _ in combo]
        weight = math.prod(weights) * valid
        grads = [
            combo[k][2] * math.prod(w for j, w in enumerate(weights) if j != k) * valid
            for k in range(len(combo))
        ]
        yield flat, weight, grads


def _gather(flat_x: np.ndarray, index: np.ndarray) -> np.ndarray:
    return np.take_along_axis(flat_x, index[:, None, :], axis=2)


class GridSample(Function):
    """y[n, c, q] = sum over taps t of x[n, c, src_t(q)] w_t(q).

    dL/dx scatters grad_y w_t back onto the sources; dL/dgrid[q, k] sums over taps and channels
    x[src_t] grad_y dw_t/dcoord_k, with dw_t/dcoord_k chained through unnormalize and padding.
    """

    @staticmethod
    def forward(ctx, x, grid, *, mode, padding_mode, align_corners):
        n, c, *spatial = x.shape
        d = len(spatial)
        out_spatial = grid.shape[1:-1]
        q = math.prod(out_spatial)
        # grid's last axis lists (x, y[, z]): the last spatial axis first
        axes = [
            _axis_taps(grid[..., d - 1 - k].reshape(n, q), spatial[k], mode, padding_mode,
                       align_corners)
            for k in range(d)
        ]  # fmt: skip
        flat_x = x.reshape(n, c, -1)
        taps = list(_product_taps(axes, tuple(spatial)))
        values = [_gather(flat_x, flat) for flat, _, _ in taps]  # backward's grid term reuses them
        y = values[0] * taps[0][1][:, None, :]
        for (_, weight, _), value in zip(taps[1:], values[1:]):
            y += value * weight[:, None, :]
        ctx.save(shape=x.shape, taps=taps, values=values, grid_shape=grid.shape)
        ctx.modes = (mode, padding_mode, align_corners)  # for create_graph's rule (higher/)
        return y.reshape(n, c, *out_spatial)

    @staticmethod
    def backward(ctx, grad_y):
        n, c, *spatial = ctx.shape
        d = len(spatial)
        g = grad_y.reshape(n, c, -1)
        want_x, want_grid = ctx.needs_input_grad[:2]
        grad_x = grad_grid = None
        if want_x:  # one scatter for every tap: bincount sums the repeats
            plane = math.prod(spatial)
            rows = (np.arange(n)[:, None, None] * c + np.arange(c)[None, :, None]) * plane
            where = np.concatenate([(rows + flat[:, None, :]).ravel() for flat, _, _ in ctx.taps])
            share = np.concatenate([(g * w[:, None, :]).ravel() for _, w, _ in ctx.taps])
            grad_x = np.bincount(where, share, minlength=n * c * plane)
            grad_x = grad_x.astype(grad_y.dtype).reshape(ctx.shape)
        if want_grid:
            grad_pos = [np.zeros(g.shape[::2], dtype=grad_y.dtype) for _ in range(d)]
            for (_, _, grads), value in zip(ctx.taps, ctx.values):
                along = (value * g).sum(axis=1)
                for k in range(d):
                    grad_pos[k] += along * grads[k]
            grad_grid = np.stack([grad_pos[d - 1 - k] for k in range(d)], axis=-1)
            grad_grid = grad_grid.reshape(ctx.grid_shape)
        return grad_x, grad_grid


def grid_sample(
    input: Any,  # noqa: A002
    grid: Any,
    mode: str = "bilinear",
    padding_mode: str = "zeros",
    align_corners: bool | None = None,
):
    """Sample (N, C, H_in, W_in) at grid (N, H, W, 2) positions in [-1, 1], giving (N, C, H, W);
    5-d inputs take (N, D, H, W, 3) grids. (x, y) = (-1, -1) is the top-left corner.

    >>> import numpy as np, chainrule as cr
    >>> x = cr.tensor(np.arange(4.0).reshape(1, 1, 2, 2))
    >>> grid = cr.tensor(np.zeros((1, 1, 1, 2)))
    >>> cr.functional.grid_sample(x, grid, align_corners=False).numpy()
    array([[[[1.5]]]])
    """
    who = "grid_sample"
    check_tensor(who, input)
    check_tensor(who, grid, "grid")
    if mode not in _MODES:
        fail_value(who, "mode 'bilinear', 'nearest' or 'bicubic'", repr(mode))
    if padding_mode not in _PADDINGS:
        fail_value(who, "padding_mode 'zeros', 'border' or 'reflection'", repr(padding_mode))
    if align_corners is None:
        warnings.warn(_DEFAULT_WARNING, UserWarning, stacklevel=2)
        align_corners = False
    if input.ndim not in (4, 5):
        fail_shape(who, "a 4-d or 5-d input (N, C, *spatial)", shape_str(input.shape))
    d = input.ndim - 2
    if grid.ndim != input.ndim or grid.shape[0] != input.shape[0] or grid.shape[-1] != d:
        want = "(N, H, W, 2)" if d == 2 else "(N, D, H, W, 3)"
        fail_shape(
            who,
            f"a grid of shape {want} with N = {input.shape[0]}",
            f"grid {shape_str(grid.shape)} for input {shape_str(input.shape)}",
        )
    if mode == "bicubic" and d != 2:
        raise UnsupportedError(f"{who}: expected a 4-d input for mode 'bicubic', got 5-d.")
    if input.dtype.kind != "f" or input.dtype != grid.dtype:
        fail_dtype(who, "float input and grid of one dtype", f"{input.dtype} and {grid.dtype}")
    if min(input.shape[2:], default=1) < 1:
        fail_shape(who, "non-empty spatial axes", shape_str(input.shape))
    return GridSample.apply(
        input, grid, mode=mode, padding_mode=padding_mode, align_corners=bool(align_corners)
    )


def _base_axis(steps: int, align_corners: bool, dtype: np.dtype) -> np.ndarray:
    """Pixel centres in [-1, 1]: the end pixels' centres at +-1 (align_corners), or their edges."""
    if steps <= 1:
        return np.zeros(max(steps, 0), dtype=dtype)
    axis = np.linspace(-1, 1, steps, dtype=dtype)
    return axis if align_corners else axis * ((steps - 1) / steps)


def affine_grid(theta: Any, size: Any, align_corners: bool | None = None):
    """The sampling grid (N, H, W, 2) of affine maps theta (N, 2, 3) for an output of ``size``
    (N, C, H, W); (N, 3, 4) and (N, C, D, H, W) give (N, D, H, W, 3).

    grid[n, i, j] = theta[n] @ (x_j, y_i, 1): the identity theta returns the pixel centres.

    >>> import chainrule as cr
    >>> theta = cr.tensor([[[1.0, 0, 0], [0, 1, 0]]])
    >>> cr.functional.affine_grid(theta, [1, 1, 2, 2], align_corners=True).numpy()[0, 0]
    array([[-1., -1.],
           [ 1., -1.]], dtype=float32)
    """
    who = "affine_grid"
    check_tensor(who, theta, "theta")
    if align_corners is None:
        warnings.warn(_DEFAULT_WARNING, UserWarning, stacklevel=2)
        align_corners = False
    if theta.dtype.kind != "f":
        fail_value(who, "a floating-point theta", f"dtype {theta.dtype}")  # ValueError, as torch
    size = [int(s) for s in size]
    if len(size) not in (4, 5):
        raise UnsupportedError(
            f"{who}: expected a 4-d or 5-d size (2-d or 3-d transforms), got {size}."
        )
    d = len(size) - 2
    if tuple(theta.shape) != (size[0], d, d + 1) and (
        theta.ndim != 3 or tuple(theta.shape[1:]) != (d, d + 1)
    ):
        fail_value(who, f"theta of shape (N, {d}, {d + 1}) for size {size}", shape_str(theta.shape))
    spatial = size[2:]
    if align_corners and min(spatial) == 1:
        warnings.warn(
            "Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
            "align_corners=True. This is not an intended use case of affine_grid. See the "
            "documentation of affine_grid for details.",
            UserWarning,
            stacklevel=2,
        )
    elif min(size) <= 0:
        fail_value(who, "a size with every entry > 0", str(size))
    # (x, y[, z], 1) at every output position, x along the last axis
    lines = [_base_axis(s, bool(align_corners), theta.dtype) for s in reversed(spatial)]
    mesh = np.meshgrid(*reversed(lines), indexing="ij")[::-1]
    base = np.stack([*mesh, np.ones(tuple(spatial), dtype=theta.dtype)], axis=-1)
    base = base.reshape(-1, d + 1)
    grid = Tensor._wrap(base) @ theta.transpose(1, 2)  # (N, positions, d)
    return grid.reshape(size[0], *spatial, d)
