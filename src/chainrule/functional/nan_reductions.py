"""Reductions and scans torch has beside sum and cumsum: nansum, nanmean, nanmedian, aminmax,
logcumsumexp (a Function: a running log-sum-exp), trapezoid and cumulative_trapezoid.

The nan* forms fill NaN with 0 (NanToZero), so the gradient is 0 at a NaN, as torch's."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from .._checks import check_dim, fail_dtype, fail_shape
from ..autograd.function import Function
from .bool_kernels import refuse_bools
from .comparison import into
from .scan_stats import ValuesIndices
from .sorting import _tensor, _take

# torch.return_types.aminmax
MinMax = namedtuple("MinMax", ["min", "max"])


def _dims(dim: Any) -> Any:
    return tuple(dim) if isinstance(dim, list) else dim


class NanToZero(Function):
    """y = x with NaN as 0; dy/dx = 1 where x is a number, and grad_y * 0 at a NaN (so an inf
    gradient becomes NaN there, as torch's nansum multiplies by the mask)."""

    @staticmethod
    def forward(ctx, x):
        ctx.numbers = ~np.isnan(x)
        return np.where(ctx.numbers, x, 0).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        with np.errstate(invalid="ignore"):
            return grad_y * ctx.numbers


def nansum(
    input: Any,
    dim: Any = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,  # noqa: A002
    out: Any = None,
):
    x = _tensor(input)
    filled = NanToZero.apply(x) if x.dtype.kind == "f" else x
    return into(out, filled.sum(_dims(dim), keepdim, dtype=dtype))


def nanmean(
    input: Any,
    dim: Any = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,  # noqa: A002
    out: Any = None,
):
    """The mean of the values that are not NaN (NaN where there are none, as torch)."""
    x = _tensor(input) if dtype is None else _tensor(input).to(dtype)
    if x.dtype.kind != "f":  # torch: "expected input to have floating point or complex dtype"
        fail_dtype("nanmean", "a floating-point input", f"dtype {x.dtype}", "x.float().nanmean()")
    count = (~x.isnan()).sum(_dims(dim), keepdim).to(x.dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        return into(out, nansum(x, dim, keepdim) / count)


def nanmedian(input: Any, dim: Any = None, keepdim: bool = False):  # noqa: A002
    """The lower middle of the values that are not NaN; with ``dim``, (values, indices)."""
    x = _tensor(input)
    flat = dim is None
    if flat:
        x, axis = x.reshape(-1), 0
    else:
        axis = check_dim("nanmedian", dim, max(x.ndim, 1), tuple(x.shape))
        if x.ndim == 0:
            return ValuesIndices(x.clone(), _tensor(np.zeros((), np.int64)))
    data = x._data
    order = np.argsort(data, axis=axis, kind="stable")  # NaN sorts last
    count = (~np.isnan(data)).sum(axis=axis, keepdims=True) if data.dtype.kind == "f" else None
    if count is None:
        count = np.full(data.shape[:axis] + (1,) + data.shape[axis + 1 :], data.shape[axis])
    middle = np.maximum((count - 1) // 2, 0)
    if data.shape[axis] == 0:
        middle = np.zeros_like(middle)
        order = np.zeros(middle.shape, np.int64)  # nothing to pick: NaN, as torch's median
    indices = np.take_along_axis(order, middle, axis=axis).astype(np.int64)
    if data.size == 0 and flat:
        return _tensor(np.array(np.nan, data.dtype))
    values = _take(x, indices, axis)
    if flat:
        return values.reshape(())
    if not keepdim:
        values, indices = values.squeeze(axis), indices.squeeze(axis)
    return ValuesIndices(values, _tensor(indices))


def aminmax(input: Any, *, dim: int | None = None, keepdim: bool = False):  # noqa: A002
    """(min, max) in one call, as torch.aminmax; each with amin's and amax's gradient."""
    x = _tensor(input)
    return MinMax(x.amin(dim, keepdim), x.amax(dim, keepdim))


class LogCumSumExp(Function):
    """y_i = log sum_{j <= i} exp x_j along ``axis``;
    dy/dx: grad_x_j = sum_{i >= j} grad_i exp(x_j - y_i), summed in log space (positive and
    negative parts apart) so nothing overflows."""

    @staticmethod
    def forward(ctx, x, axis=0):
        ctx.x, ctx.axis = x, axis
        ctx.y = np.logaddexp.accumulate(x, axis=axis) if x.size else x.copy()
        return ctx.y

    @staticmethod
    def backward(ctx, grad_y):
        x, y, axis = ctx.x, ctx.y, ctx.axis
        if not x.size:
            return np.zeros_like(x)

        def reversed_sum(log_terms: np.ndarray) -> np.ndarray:
            flipped = np.flip(log_terms, axis)
            return np.flip(np.logaddexp.accumulate(flipped, axis=axis), axis)

        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            positive = np.exp(reversed_sum(np.log(np.maximum(grad_y, 0)) - y) + x)
            negative = np.exp(reversed_sum(np.log(np.maximum(-grad_y, 0)) - y) + x)
        return (positive - negative).astype(x.dtype, copy=False)


def logcumsumexp(input: Any, dim: int, *, out: Any = None):  # noqa: A002
    x = _tensor(input)
    refuse_bools("logcumsumexp", x)
    axis = check_dim("logcumsumexp", dim, max(x.ndim, 1), tuple(x.shape))
    if x.ndim == 0:
        return into(out, x.clone())
    if x.dtype.kind != "f":
        from ..dtypes import get_default_dtype

        x = x.to(get_default_dtype())
    return into(out, LogCumSumExp.apply(x, axis=axis))


def _spacing(who: str, y: Any, x: Any, dx: Any, axis: int):
    if x is None:
        return 1.0 if dx is None else dx
    x = _tensor(x)
    if x.ndim == 1 and x.shape[0] != y.shape[axis]:  # the gaps would broadcast silently
        fail_shape(who, f"one x value for each of the {y.shape[axis]} samples", f"{x.shape[0]}")
    if x.ndim == 1:
        gaps = x[1:] - x[:-1]
        return gaps.reshape((-1,) + (1,) * (y.ndim - axis - 1))
    n = x.shape[axis]
    return x.narrow(axis, 1, n - 1) - x.narrow(axis, 0, n - 1)


def _areas(who: str, y: Any, x: Any, dx: Any, dim: int):
    y = _tensor(y)
    if y.dtype.kind != "f":
        from ..dtypes import get_default_dtype

        y = y.to(get_default_dtype())
    axis = check_dim(who, dim, max(y.ndim, 1), tuple(y.shape))
    n = y.shape[axis]
    if n == 0:
        return None, y, axis
    pairs = y.narrow(axis, 1, n - 1) + y.narrow(axis, 0, n - 1)
    return pairs * _spacing(who, y, x, dx, axis) * 0.5, y, axis


def trapezoid(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1):
    """The trapezoid rule along ``dim``: sum of (y_i + y_(i+1)) / 2 times the gap (``x``'s
    differences, or ``dx``, default 1)."""
    areas, y, axis = _areas("trapezoid", y, x, dx, dim)
    if areas is None:
        return y.sum(axis)
    return areas.sum(axis)


def trapz(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1):
    """torch.trapz, the older name of trapezoid."""
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1):
    """The running trapezoid rule: one fewer element along ``dim`` than ``y``."""
    areas, y, axis = _areas("cumulative_trapezoid", y, x, dx, dim)
    if areas is None:
        return y
    return areas.cumsum(axis)
