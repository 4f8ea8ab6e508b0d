"""torch.Tensor's reductions and softmaxes as methods, each calling its op in chainrule.functional.

They take NumPy's spellings ``axis=`` / ``keepdims=`` in their own signatures, as torch's
argument parser does, so that ``x.sum(1)`` runs no renaming step: numpy_names.py wraps only the
methods that do not. They live outside autograd/ to keep its line budget; Tensor gets them at
import, as tensor_api_more.py binds its methods. No derivative is written here.
"""

from __future__ import annotations

from collections import namedtuple
from functools import partial
from typing import Any

import numpy as np

from . import functional as F
from .autograd.tensor import Tensor, check_axis
from .autograd.tensor_operators import _no_grad_result
from .cpugraph.capture import record_call
from .errors import DimError, DTypeError
from .functional.reduction import _axes
from .numpy_names import from_numpy_names

# torch.max(x, dim) and friends return (values, indices) with these field names.
ValuesIndices = namedtuple("ValuesIndices", ["values", "indices"])


def sum(  # noqa: A001
    self: Tensor,
    dim: Any = None,
    keepdim: bool = False,
    *,
    axis: Any = None,
    keepdims: Any = None,
    dtype: Any = None,
):
    if axis is not None or keepdims is not None:
        dim, keepdim = from_numpy_names("sum", dim, axis, keepdim, keepdims)
    # cast first, as torch: sum(dtype=int64) of [0.5, 0.5] is 0, and int8 ones don't wrap
    return F.sum(self if dtype is None else self.to(dtype), dim, keepdim)


def mean(
    self: Tensor,
    dim: Any = None,
    keepdim: bool = False,
    *,
    axis: Any = None,
    keepdims: Any = None,
    dtype: Any = None,
):
    if axis is not None or keepdims is not None:
        dim, keepdim = from_numpy_names("mean", dim, axis, keepdim, keepdims)
    source = self if dtype is None else self.to(dtype)
    if source._data.dtype.kind != "f":  # an integer dtype= too: torch cannot infer one
        raise DTypeError(
            f"mean: expected a floating-point tensor (or dtype=), got dtype "
            f"{source._data.dtype}.\nHint: x.float().mean(), as torch requires too."
        )
    return F.mean(source, dim, keepdim)


def max(  # noqa: A001
    self: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: Any = None
):
    """Largest value; with ``dim``, (values, indices) as torch.max(x, dim)."""
    if axis is not None or keepdims is not None:
        dim, keepdim = from_numpy_names("max", dim, axis, keepdim, keepdims)
    if isinstance(dim, Tensor):
        return F.maximum(self, dim)
    if dim is None:
        return _whole(self, F.max)
    return _values_at(self, _arg_extreme(np.argmax, "max", self, dim, True), dim, keepdim)


def min(  # noqa: A001
    self: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: Any = None
):
    """Smallest value; with ``dim``, (values, indices) as torch.min(x, dim)."""
    if axis is not None or keepdims is not None:
        dim, keepdim = from_numpy_names("min", dim, axis, keepdim, keepdims)
    if isinstance(dim, Tensor):
        return F.minimum(self, dim)
    if dim is None:
        return _whole(self, F.min)
    return _values_at(self, _arg_extreme(np.argmin, "min", self, dim, True), dim, keepdim)


def _reduction(who: str, reduce: Any) -> Any:
    """The method ``who`` calling ``reduce(self, dim, keepdim)``."""

    def method(
        self: Tensor,
        dim: Any = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: Any = None,
    ) -> Any:
        if axis is not None or keepdims is not None:
            dim, keepdim = from_numpy_names(who, dim, axis, keepdim, keepdims)
        return reduce(self, dim, keepdim)

    method.__name__ = method.__qualname__ = who
    return method


def _spread(who: str, reduce: Any) -> Any:
    """var or std, with torch's default Bessel correction (divide by N - 1)."""

    def method(
        self: Tensor,
        dim: Any = None,
        unbiased: Any = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
        axis: Any = None,
        keepdims: Any = None,
    ) -> Any:
        if axis is not None or keepdims is not None:
            dim, keepdim = from_numpy_names(who, dim, axis, keepdim, keepdims)
        if isinstance(dim, bool):  # torch's var(unbiased) overload
            dim, unbiased = None, dim
        return reduce(self, dim, unbiased=unbiased, keepdim=keepdim, correction=correction)

    method.__name__ = method.__qualname__ = who
    method.__doc__ = _spread.__doc__
    return method


def all(  # noqa: A001
    self: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: Any = None
):
    if axis is not None or keepdims is not None:
        dim, keepdim = from_numpy_names("all", dim, axis, keepdim, keepdims)
    return _logical("all", np.all, self, dim, keepdim)


def any(  # noqa: A001
    self: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: Any = None
):
    if axis is not None or keepdims is not None:
        dim, keepdim = from_numpy_names("any", dim, axis, keepdim, keepdims)
    return _logical("any", np.any, self, dim, keepdim)


def _logical(who: str, test: Any, tensor: Tensor, dim: Any, keepdim: bool) -> Tensor:
    """all/any as torch's: a dim list reduces those dims (an empty one none), uint8 stays uint8."""
    axes = () if isinstance(dim, (tuple, list)) and not dim else _axes(who, tensor.shape, dim)

    def reduce(a: np.ndarray) -> np.ndarray:
        result = np.asarray(test(a, axis=axes, keepdims=keepdim))
        return result.astype(np.uint8) if a.dtype == np.uint8 else result

    return _no_grad_result(reduce, tensor)


def count_nonzero(self: Tensor, dim: Any = None, *, axis: Any = None):
    if axis is not None:
        dim, _ = from_numpy_names("count_nonzero", dim, axis, False, None)
    axes = _axes("count_nonzero", self.shape, dim)  # dim=() counts every dim, as torch
    return _no_grad_result(lambda a: np.asarray(np.count_nonzero(a, axis=axes), np.int64), self)


def softmax(self: Tensor, dim: Any = -1, dtype: Any = None, *, axis: Any = None):
    if axis is not None:
        dim, _ = from_numpy_names("softmax", None if dim == -1 else dim, axis, False, None)
    return F.softmax(self, dim, dtype)


def log_softmax(self: Tensor, dim: Any = -1, dtype: Any = None, *, axis: Any = None):
    if axis is not None:
        dim, _ = from_numpy_names("log_softmax", None if dim == -1 else dim, axis, False, None)
    return F.log_softmax(self, dim, dtype)


def _whole(t: Any, reduce: Any):
    """max() of every element: ties share the gradient (as torch.max() does), but a NaN is the
    maximum and takes all of it, where amax would give NaN gradients."""
    if t._data.dtype.kind == "f" and t._data.size and np.isnan(t._data).any():
        first_nan = int(np.argmax(np.isnan(t._data).reshape(-1)))
        return t.reshape(-1)[first_nan]
    return reduce(t)


def _values_at(t: Any, indices: Any, dim: int, keepdim: bool) -> ValuesIndices:
    """(values, indices) at the chosen index along dim: the gradient goes to that element
    alone, as torch.max(x, dim) routes it (amax shares it between ties instead)."""
    axis = check_axis("max", dim, t._data.ndim)
    if t._data.ndim == 0:  # a 0-d tensor is its own max along dim 0 or -1
        return ValuesIndices(t.clone(), indices)
    grid = list(np.indices(indices.shape, sparse=True))
    grid[axis] = indices._data
    values = F.getitem(t, tuple(grid))
    if not keepdim:
        values = values.squeeze(axis)
        indices = indices.squeeze(axis)
    return ValuesIndices(values, indices)


def _arg_extreme(pick: Any, who: str, t: Any, dim: Any, keepdim: bool):
    if who.startswith("arg") and t._data.dtype == np.bool_:  # torch refuses; max(dim) does not
        raise DTypeError(f"{who}: expected numbers, got a bool tensor.\nHint: x.long().{who}().")
    if dim is None:
        if t._data.size == 0:
            raise DimError(f"{who}: expected a non-empty tensor, got shape {tuple(t._data.shape)}.")
        return t._wrap(record_call(_picked, pick, t._data, None, False))
    axis = check_axis(who, dim, t._data.ndim)
    if t._data.ndim == 0:
        return t._wrap(np.zeros((), dtype=np.int64))
    if t._data.shape[axis] == 0:
        raise DimError(f"{who}: expected a non-empty dim {dim}, got shape {tuple(t._data.shape)}.")
    return t._wrap(record_call(_picked, pick, t._data, axis, keepdim))


def _picked(pick: Any, data: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    """argmax/argmin as int64, recorded inside a CPUGraph capture so replays pick again."""
    return np.asarray(pick(data, axis=axis, keepdims=keepdims), dtype=np.int64)


amax, amin = _reduction("amax", F.max), _reduction("amin", F.min)
argmax = _reduction("argmax", partial(_arg_extreme, np.argmax, "argmax"))
argmin = _reduction("argmin", partial(_arg_extreme, np.argmin, "argmin"))
var, std = _spread("var", F.var), _spread("std", F.std)

METHODS = (sum, mean, max, min, amax, amin, argmax, argmin, var, std, all, any, count_nonzero)
for _method in (*METHODS, softmax, log_softmax):
    setattr(Tensor, _method.__name__, _method)
