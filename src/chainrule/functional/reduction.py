"""Reductions over axes: sum, mean, max, min (with keepdim, like torch)."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from .._checks import check_dim, shape_str
from ..autograd.function import Function
from ..cpugraph.backward import fresh
from ..errors import DimError
from ..autograd.function import quietly

_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)
_I64 = np.dtype(np.int64)


def _axes(who: str, shape: tuple[int, ...], dim: Any) -> tuple[int, ...] | None:
    """Normalise dim (None, int or tuple) to sorted non-negative axes, checking the range; an
    empty tuple means every dim, as torch's sum(dim=()) reduces everything."""
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return None
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    axes = [check_dim(who, d, len(shape), shape) for d in dims]
    if len(set(axes)) != len(axes):
        raise DimError(
            f"{who}: expected each dim once, got {dims} for a tensor of shape {shape_str(shape)}."
        )
    return tuple(sorted(axes))


def _expand(grad_y: np.ndarray, shape: tuple[int, ...], axes, keepdim: bool) -> np.ndarray:
    """Give a reduced gradient back its reduced axes so it broadcasts over the input."""
    if axes is not None and not keepdim and len(shape) > 0:
        grad_y = np.expand_dims(grad_y, axes)
    return np.broadcast_to(grad_y, shape)


class Sum(Function):
    """y = sum of x over axes; dy/dx = 1 for every element summed."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, axes, keepdim):
        ctx.shape, ctx.axes, ctx.keepdim = x.shape, axes, keepdim  # not ctx.save: arithmetic.Add
        if x.dtype.kind == "u" and x.dtype.itemsize < 8:  # torch: int64, NumPy: uint64
            return np.asanyarray(np.sum(x, axis=axes, keepdims=keepdim, dtype=_I64))
        return np.asanyarray(np.sum(x, axis=axes, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad_y):
        return _expand(grad_y, ctx.shape, ctx.axes, ctx.keepdim)


class Mean(Function):
    """y = mean of x over axes; dy/dx = 1 / (number of elements averaged)."""

    @staticmethod
    def forward(ctx, x, axes, keepdim, into=None):
        count = x.size if axes is None else int(np.prod([x.shape[a] for a in axes]))
        ctx.shape, ctx.axes, ctx.keepdim, ctx.count = x.shape, axes, keepdim, count
        if x.dtype is _F32 or x.dtype is _F64:
            # np.mean is this sum (np.add.reduce) and division behind ~6 us of Python
            # (_methods._mean); the division is correctly rounded either way, so the result is
            # bit-identical. float16 (np.mean sums it in float32) keeps np.mean.
            total = np.add.reduce(x, axis=axes, keepdims=keepdim)
            if not count:  # the mean of nothing is 0 / 0: NaN with no warning, as in torch
                with np.errstate(invalid="ignore"):
                    return np.divide(total, count, out=... if into is None else into)
            return np.divide(total, count, out=... if into is None else into)
        y = np.asanyarray(np.mean(x, axis=axes, keepdims=keepdim))
        if into is None:
            return y
        into[...] = y  # not np.mean(out=into): for float16 it would round the sum twice
        return into

    @staticmethod
    def replay_calls(ctx, arrays, config, out):
        """forward's sum and quotient. The count is the array NumPy would make of the int (half
        the call's cost), and the sum has its own array: a ufunc writing over its own 0-d input
        costs twice as much."""
        x, axes, keepdim = arrays[0], config["axes"], config["keepdim"]
        if not x.size or not (x.dtype is _F32 or x.dtype is _F64):
            return None
        count = x.size if axes is None else int(np.prod([x.shape[a] for a in axes]))
        total = np.empty_like(out)
        return [
            functools.partial(np.add.reduce, x, axes, None, total, keepdim),
            functools.partial(np.divide, total, np.asarray(count, x.dtype), out=out),
        ]

    @staticmethod
    def backward(ctx, grad_y):
        if ctx.axes is None:
            # the one quotient written out to every element: np.broadcast_to's view costs more
            # in Python (2 us) than filling a small array does
            out = (
                np.empty(ctx.shape, grad_y.dtype)
                if type(grad_y) is np.ndarray
                else np.empty_like(grad_y, shape=ctx.shape)  # a Dual keeps its tangent
            )
            return np.divide(grad_y, ctx.count, out=out)
        return _expand(quietly(np.divide, grad_y, ctx.count), ctx.shape, ctx.axes, ctx.keepdim)

    @staticmethod
    def replay_backward(ctx, grad_y, grads):
        if ctx.axes is not None:
            return None
        out = fresh(grads[0])
        return [
            functools.partial(np.divide, grad_y, np.asarray(ctx.count, grad_y.dtype), out=out)
        ], [out]


class Max(Function):
    """y = max of x over axes; the gradient is shared equally by tied maxima (as torch.amax)."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, axes, keepdim):
        y = np.amax(x, axis=axes, keepdims=True)
        ctx.save(x=x, y_kept=y, axes=axes)
        return np.asanyarray(y if keepdim or axes is None and x.ndim == 0 else _squeeze(y, axes))

    @staticmethod
    def backward(ctx, grad_y):
        return _to_extremes(ctx, grad_y)


class Min(Function):
    """y = min of x over axes; the gradient is shared equally by tied minima (as torch.amin)."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, axes, keepdim):
        y = np.amin(x, axis=axes, keepdims=True)
        ctx.save(x=x, y_kept=y, axes=axes)
        return np.asanyarray(y if keepdim or axes is None and x.ndim == 0 else _squeeze(y, axes))

    @staticmethod
    def backward(ctx, grad_y):
        return _to_extremes(ctx, grad_y)


def _squeeze(y: np.ndarray, axes) -> np.ndarray:
    return y.reshape(()) if axes is None else np.squeeze(y, axis=axes)


def _to_extremes(ctx, grad_y):
    hit = ctx.x == ctx.y_kept
    count = hit.sum(axis=ctx.axes, keepdims=True)
    grad_kept = grad_y.reshape(ctx.y_kept.shape)
    # a NaN extreme hits nothing: 0 / 0 is NaN, as torch's gradient, and as quietly
    return quietly(np.divide, grad_kept * hit, count).astype(grad_y.dtype, copy=False)


def _reduce(function: type[Function], who: str, x: Any, dim: Any, keepdim: bool):
    from ..autograd.tensor import Tensor

    shape = x.shape if isinstance(x, Tensor) else np.shape(x)
    axes = _axes(who, shape, dim)
    if len(shape) == 0:  # a 0-d tensor's only dim (0 or -1) is the tensor itself, as in torch
        axes = None
    if function in (Max, Min) and 0 in shape:  # an IndexError in torch (with a dim) too
        if axes is None or any(shape[a] == 0 for a in axes):  # (0, 1).amax(1) is (0,): fine
            raise DimError(f"{who}: expected a non-empty tensor, got shape {shape_str(shape)}.")
    return function.apply(x, axes=axes, keepdim=keepdim)


def sum(x: Any, dim: Any = None, keepdim: bool = False):  # noqa: A001
    return _reduce(Sum, "sum", x, dim, keepdim)


def mean(x: Any, dim: Any = None, keepdim: bool = False):
    return _reduce(Mean, "mean", x, dim, keepdim)


def max(x: Any, dim: Any = None, keepdim: bool = False):  # noqa: A001
    """Largest value over dim; unlike torch.max(dim) it returns values only (torch.amax)."""
    return _reduce(Max, "max", x, dim, keepdim)


def min(x: Any, dim: Any = None, keepdim: bool = False):  # noqa: A001
    """Smallest value over dim; unlike torch.min(dim) it returns values only (torch.amin)."""
    return _reduce(Min, "min", x, dim, keepdim)
