"""Sorting and selecting by value: sort, argsort, topk, kthvalue, and cumsum (torch's names).

No new derivative for the selections: their values are the input read at the chosen indices,
so the gradient flows through GetItem and lands on the selected elements, as in torch.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ..cpugraph.capture import record_call

from .._checks import check_dim, caller_name, check_tensor
from ..autograd.function import Function
from ..errors import DTypeError, ShapeError
from .shape import getitem

# torch.return_types.sort / topk / kthvalue: (values, indices) by name
ValuesIndices = namedtuple("ValuesIndices", ["values", "indices"])


def _tensor(x: Any):
    """x as a Tensor; a list or tuple is refused as torch refuses it (TypeError), named after
    the op that called: NumPy would read it as an array of the default dtype, silently."""
    from ..autograd.tensor import Tensor

    if isinstance(x, Tensor):
        return x
    if isinstance(x, (list, tuple)):
        check_tensor(caller_name(), x)
    return Tensor._of(x)


def _order(data: np.ndarray, axis: int, descending: bool, k: Any = None) -> np.ndarray:
    """The sorting indices as int64 (the first ``k`` along ``axis`` if given), recorded inside a
    CPUGraph capture so a replay sorts the new data."""
    return record_call(_first_indices, data, axis, descending, k)


def _first_indices(data: np.ndarray, axis: int, descending: bool, k: Any) -> np.ndarray:
    order = _sorting_indices(data, axis, descending).astype(np.int64, copy=False)
    return order if k is None else np.take(order, np.arange(k), axis=axis)


def _sorting_indices(data: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """Stable indices that sort ``data`` along ``axis``; descending keeps ties in input order
    (sorting the flipped array works for unsigned and bool dtypes, where negating would not)."""
    if not descending:
        return np.argsort(data, axis=axis, kind="stable")
    flipped = np.argsort(np.flip(data, axis), axis=axis, kind="stable")
    return data.shape[axis] - 1 - np.flip(flipped, axis)


def _take(x: Any, indices: np.ndarray, axis: int):
    """x's values at ``indices`` along ``axis`` (take_along_axis), differentiable."""
    grid = list(np.indices(indices.shape, sparse=True))
    grid[axis] = indices
    return getitem(x, tuple(grid))


def _axis(who: str, x: Any, dim: int) -> int:
    return check_dim(who, dim, max(x.ndim, 1))


def sort(input: Any, dim: int = -1, descending: bool = False, stable: bool = False):  # noqa: A002
    """(values, indices) sorted along ``dim``; always stable (torch allows either when stable=False)."""
    x = _tensor(input)
    if x.ndim == 0:
        return ValuesIndices(x.clone(), x._wrap(np.zeros((), dtype=np.int64)))
    axis = _axis("sort", x, dim)
    indices = _order(x._data, axis, descending)
    return ValuesIndices(_take(x, indices, axis), x._wrap(indices))


def argsort(input: Any, dim: int = -1, descending: bool = False, stable: bool = False):  # noqa: A002
    """The indices that sort ``input`` along ``dim``, as torch.argsort."""
    return sort(input, dim, descending, stable).indices


def topk(input: Any, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):  # noqa: A002
    """The ``k`` largest (or smallest) values along ``dim`` and their indices, largest first."""
    x = _tensor(input)
    if x.dtype == np.bool_:
        raise DTypeError("topk: expected numbers, got a bool tensor (torch has no bool topk).")
    axis = _axis("topk", x, dim)
    size = x.shape[axis] if x.ndim else 1
    if not 0 <= k <= size:
        raise ShapeError(
            f"topk: expected k in [0, {size}] (the size of dim {dim}), got {k}.\n"
            f"Hint: k cannot be larger than the dimension it selects from."
        )
    if x.ndim == 0:
        return sort(x)
    indices = _order(x._data, axis, largest, k)
    return ValuesIndices(_take(x, indices, axis), x._wrap(indices))


def kthvalue(input: Any, k: int, dim: int = -1, keepdim: bool = False):  # noqa: A002
    """The k-th smallest value along ``dim`` (k counts from 1) and its index."""
    x = _tensor(input)
    axis = _axis("kthvalue", x, dim)
    size = x.shape[axis] if x.ndim else 1
    if not 1 <= k <= size:
        raise ShapeError(f"kthvalue: expected k in [1, {size}] (the size of dim {dim}), got {k}.")
    if x.ndim == 0:
        return sort(x)
    # a slice of the recorded order is a view, so a CPUGraph replay sees the new k-th index
    indices = _order(x._data, axis, False, k)[(slice(None),) * axis + (slice(k - 1, k),)]
    values, indices = _take(x, indices, axis), x._wrap(indices)
    if not keepdim:
        values, indices = values.squeeze(axis), indices.squeeze(axis)
    return ValuesIndices(values, indices)


class CumSum(Function):
    """y_i = x_0 + ... + x_i along an axis; dL/dx_j = sum over i >= j of dL/dy_i, a reversed cumsum."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, axis):
        ctx.save(axis=axis)
        # torch sums integers and bools as int64; NumPy's platform integer agrees on 64-bit
        return np.cumsum(x, axis=axis, dtype=np.int64 if x.dtype.kind in "biu" else None)

    @staticmethod
    def backward(ctx, grad_y):
        return np.flip(np.cumsum(np.flip(grad_y, ctx.axis), axis=ctx.axis), ctx.axis)


def cumsum(input: Any, dim: int, *, dtype: Any = None):  # noqa: A002
    """Running sums along ``dim``, as torch.cumsum (``dtype`` casts the input first)."""
    x = _tensor(input)
    if dtype is not None:
        x = x.to(dtype)
    if x.ndim == 0:  # torch still checks the dim and still sums integers as int64
        _axis("cumsum", x, dim)
        return x.clone() if x.dtype.kind == "f" or x.dtype == np.int64 else x.long()
    return CumSum.apply(x, axis=_axis("cumsum", x, dim))
