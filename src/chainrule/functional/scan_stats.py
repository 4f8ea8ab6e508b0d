"""Running products and extremes (cumprod, cummax, cummin) and order statistics (median,
mode, quantile, var_mean, std_mean). Only cumprod needs its own derivative; the rest pick or blend
elements through differentiable indexing, so the gradient reaches the chosen elements."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import fail_value
from ..errors import DimError
from ..autograd.function import Function
from ..cpugraph.capture import record_call
from .bool_kernels import refuse_bools
from .sorting import ValuesIndices, _axis, _take, _tensor, kthvalue, sort


class CumProd(Function):
    """y_i = x_0 x_1 ... x_i along an axis; dL/dx_k = sum over i >= k of g_i y_i / x_k.

    Dividing by x_k fails where x_k = 0, so such rows take the slow exact path: the product of
    every factor but x_k, once per k.
    """

    @staticmethod
    def forward(ctx, x, axis):
        y = np.cumprod(x, axis=axis)
        ctx.save(x=x, y=y, axis=axis)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        x, y, axis = ctx.x, ctx.y, ctx.axis
        if np.all(x != 0):
            tail = np.flip(np.cumsum(np.flip(grad_y * y, axis), axis=axis), axis)
            return tail / x
        grad_x = np.empty_like(x)
        for k in range(x.shape[axis]):
            without = x.copy()
            without[(slice(None),) * axis + (k,)] = 1
            partial = np.cumprod(without, axis=axis)
            later = (slice(None),) * axis + (slice(k, None),)
            summed = np.sum(grad_y[later] * partial[later], axis=axis)
            grad_x[(slice(None),) * axis + (k,)] = summed
        return grad_x


def cumprod(input: Any, dim: int, *, dtype: Any = None):  # noqa: A002
    """Running products along ``dim``, as torch.cumprod."""
    x = _tensor(input)
    if dtype is not None:
        x = x.to(dtype)
    if x.ndim == 0:  # torch still checks the dim and still multiplies integers as int64
        _axis("cumprod", x, dim)
        return x.clone() if x.dtype.kind == "f" or x.dtype == np.int64 else x.long()
    if x.dtype.kind != "f":
        # no Function (no gradient on integers), so recorded for a CPUGraph replay
        # torch multiplies every integer dtype below int64 in int64 (NumPy: uint8 in uint64)
        wide = np.int64 if x.dtype.kind in "ub" and x.dtype.itemsize < 8 else None
        return x._wrap(record_call(np.cumprod, x._data, _axis("cumprod", x, dim), wide))
    return CumProd.apply(x, axis=_axis("cumprod", x, dim))


def _running_extreme(who: str, input: Any, dim: int, better: Any) -> ValuesIndices:
    """Values and indices of the running max or min; a tie moves the index on, as torch."""
    x = _tensor(input)
    if x.ndim == 0:
        return ValuesIndices(x.clone(), x._wrap(np.zeros((), dtype=np.int64)))
    axis = _axis(who, x, dim)
    # recorded, so a CPUGraph replay finds each batch's running argmax, not the first one's
    index = record_call(_running_index, x._data, axis, better)
    return ValuesIndices(_take(x, index, axis), x._wrap(index))


def _running_index(data: np.ndarray, axis: int, better: Any) -> np.ndarray:
    data = np.moveaxis(data, axis, -1)
    index = np.zeros(data.shape, dtype=np.int64)
    best = data[..., 0].copy()
    for i in range(1, data.shape[-1]):
        column = data[..., i]
        take = better(column, best) | np.isnan(column) & ~np.isnan(best)
        best = np.where(take, column, best)
        index[..., i] = np.where(take, i, index[..., i - 1])
    return np.moveaxis(index, -1, axis)


def cummax(input: Any, dim: int):  # noqa: A002
    """(values, indices) of the running maximum along ``dim``; the gradient goes to the argmax."""
    return _running_extreme("cummax", input, dim, np.greater_equal)


def cummin(input: Any, dim: int):  # noqa: A002
    """(values, indices) of the running minimum along ``dim``."""
    return _running_extreme("cummin", input, dim, np.less_equal)


def median(input: Any, dim: Any = None, keepdim: bool = False):  # noqa: A002
    """The lower of the two middle values for an even count, as torch; with ``dim``, also the
    index (values, indices)."""
    x = _tensor(input)
    refuse_bools("median", x)
    if dim is None:
        flat = x.reshape(-1)
        return kthvalue(flat, (flat.shape[0] + 1) // 2, 0).values
    size = x.shape[_axis("median", x, dim)] if x.ndim else 1
    if size == 0:  # torch's IndexError, where kthvalue would name k
        raise DimError(f"median: expected a non-empty dim {dim}, got shape {tuple(x.shape)}.")
    return kthvalue(x, (size + 1) // 2, dim, keepdim)


def mode(input: Any, dim: int = -1, keepdim: bool = False):  # noqa: A002
    """(values, indices) of the most frequent value along ``dim``: the smallest of those tied
    for most, at its last position, as torch; the gradient goes to that element."""
    x = _tensor(input)
    if x.ndim == 0:
        return ValuesIndices(x.clone(), x._wrap(np.zeros((), dtype=np.int64)))
    axis = _axis("mode", x, dim)
    if x.shape[axis] == 0:
        raise DimError(f"mode: expected a non-empty dim {dim}, got shape {tuple(x.shape)}.")
    index = record_call(_mode_index, x._data, axis)  # recorded: a replay counts again
    values, indices = _take(x, index, axis), x._wrap(index)
    if keepdim:
        return ValuesIndices(values, indices)
    return ValuesIndices(values.squeeze(axis), indices.squeeze(axis))


def _mode_index(data: np.ndarray, axis: int) -> np.ndarray:
    # pairwise equality along the dim: n^2 booleans a row, simple and fine for the short dims a
    # mode is taken over
    row = np.moveaxis(data, axis, -1)
    counts = (row[..., :, None] == row[..., None, :]).sum(-1)
    tied = counts == counts.max(-1, keepdims=True)
    smallest = np.where(tied, row, row.max(-1, keepdims=True)).min(-1, keepdims=True)
    last = row.shape[-1] - 1 - np.argmax((row == smallest)[..., ::-1], axis=-1, keepdims=True)
    return np.moveaxis(last, -1, axis).astype(np.int64)


def quantile(
    input: Any,  # noqa: A002
    q: Any,
    dim: int | None = None,
    keepdim: bool = False,
    *,
    interpolation: str = "linear",
):
    """torch.quantile: for each q, the value at position q (n - 1) in sorted order, blended
    between neighbours by ``interpolation`` (linear, lower, higher, nearest, midpoint)."""
    x = _tensor(input)
    modes = ("linear", "lower", "higher", "nearest", "midpoint")
    if interpolation not in modes:
        fail_value("quantile", f"interpolation one of {modes}", repr(interpolation))
    qs = np.asarray(getattr(q, "_data", q), dtype=np.float64)
    if qs.ndim > 1 or np.any((qs < 0) | (qs > 1)):
        fail_value("quantile", "q a scalar or 1-D, each in [0, 1]", repr(q))
    if dim is None:
        x, axis = x.reshape(-1), 0
    else:
        axis = _axis("quantile", x, dim)
    values = sort(x, axis).values
    n = x.shape[axis]
    position = qs.reshape(-1) * (n - 1)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, n - 1)
    weight = position - low
    if interpolation == "lower":
        weight = np.zeros_like(weight)
    elif interpolation == "higher":
        weight = (position > low).astype(np.float64)
    elif interpolation == "nearest":
        weight = (np.round(position) > low).astype(np.float64)  # rounds half to even, as torch
    elif interpolation == "midpoint":
        weight = np.where(position > low, 0.5, 0.0)
    pick = (slice(None),) * axis
    lower, upper = values[pick + (low,)], values[pick + (high,)]
    shape = (1,) * axis + (-1,) + (1,) * (x.ndim - axis - 1)
    blend = lower + (upper - lower) * weight.astype(x.dtype).reshape(shape)
    result = blend.movedim(axis, 0)  # torch puts the q axis first
    if keepdim:
        result = result.unsqueeze(axis + 1)
        if dim is None:
            result = result.reshape((-1,) + (1,) * _tensor(input).ndim)
    return result.squeeze(0) if qs.ndim == 0 else result


def var_mean(
    input: Any,  # noqa: A002
    dim: Any = None,
    unbiased: Any = None,
    keepdim: bool = False,
    *,
    correction: Any = None,
):
    """(var, mean) in one call, as torch.var_mean."""
    x = _tensor(input)
    spread = x.var(dim, unbiased, keepdim, correction=correction)
    return spread, x.mean(dim, keepdim=keepdim)


def std_mean(
    input: Any,  # noqa: A002
    dim: Any = None,
    unbiased: Any = None,
    keepdim: bool = False,
    *,
    correction: Any = None,
):
    """(std, mean) in one call, as torch.std_mean."""
    x = _tensor(input)
    spread = x.std(dim, unbiased, keepdim, correction=correction)
    return spread, x.mean(dim, keepdim=keepdim)
