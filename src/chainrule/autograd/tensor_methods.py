"""torch.Tensor's named methods: each one calls an op in chainrule.functional (the operators
are in tensor_operators.py).

No derivative is written here: a method either is one Function or composes them.
"""

from __future__ import annotations

import math
from collections import namedtuple
from typing import Any

import numpy as np

from .._checks import check_dim
from ..errors import DimError, DTypeError, ShapeError
from ..cpugraph.capture import record_call, refuse
from .tensor_operators import _no_grad_result

# chainrule.functional, bound by tensor.py once Tensor exists: the Tensor <-> functional loop
# every framework has, closed in one place.
F: Any = None

# torch.max(x, dim) and friends return (values, indices) with these field names.
ValuesIndices = namedtuple("ValuesIndices", ["values", "indices"])


def check_axis(who: str, dim: int, ndim: int) -> int:
    """dim in [-ndim, ndim - 1] as a non-negative index (the one rule lives in _checks)."""
    return check_dim(who, dim, ndim)


def _dim_arg(dim: Any, axis: Any) -> Any:
    return axis if dim is None else dim


class TensorMethods:
    """Named methods that mirror torch.Tensor (shape, reductions, elementwise); mixed into Tensor."""

    __slots__ = ()

    # The rest of torch's methods (topk, gather, ...) are bound onto Tensor by
    # functional/tensor_extras.py, which keeps them out of autograd/'s line budget.

    # --- shape ---------------------------------------------------------------------------
    @property
    def T(self):
        return F.Permute.apply(self, dims=tuple(reversed(range(self._data.ndim))))

    @property
    def mT(self):
        if self._data.ndim < 2:  # torch: "only supported on matrices or batches of matrices"
            raise ShapeError(f"mT: expected a tensor with at least 2 dims, got {self._data.ndim}.")
        return F.transpose(self, -2, -1)

    def t(self):
        """Transpose of a tensor with at most 2 dims, as torch.Tensor.t."""
        if self._data.ndim > 2:
            raise ShapeError(
                f"t: expected a tensor with at most 2 dims, got {self._data.ndim}.\n"
                f"Hint: use transpose(dim0, dim1) or permute(...)."
            )
        return F.transpose(self) if self._data.ndim == 2 else self

    def reshape(self, *shape: Any):  # (view and view_as, with torch's stride rule: views.py)
        return F.reshape(self, *shape)

    def reshape_as(self, other: Any):
        return F.reshape(self, *other.shape)

    def unsqueeze(self, dim: int):
        """A new axis of length 1 at ``dim`` (in [-ndim - 1, ndim])."""
        return F.unsqueeze(self, dim)

    def squeeze(self, dim: Any = None):
        """Drop axes of length 1 (only ``dim``, if given and of length 1)."""
        return F.squeeze(self, dim)

    def transpose(self, dim0: int, dim1: int):
        return F.transpose(self, dim0, dim1)

    swapaxes = transpose

    def permute(self, *dims: Any):
        return F.permute(self, *dims)

    def flatten(self, start_dim: int = 0, end_dim: int = -1):
        return F.flatten(self, start_dim, end_dim)

    def expand(self, *sizes: Any):
        """A broadcast view of this tensor at ``sizes`` (-1 keeps a dim); the gradient is summed."""
        return F.expand(self, *sizes)

    def expand_as(self, other: Any):
        return F.expand(self, *other.shape)

    def repeat(self, *sizes: Any):
        return F.repeat(self, *sizes)

    # --- reductions ------------------------------------------------------------------------
    def sum(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None, dtype: Any = None):
        # cast first, as torch: sum(dtype=int64) of [0.5, 0.5] is 0, and int8 ones don't wrap
        return F.sum(self if dtype is None else self.to(dtype), _dim_arg(dim, axis), keepdim)

    def mean(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None, dtype: Any = None):
        source = self if dtype is None else self.to(dtype)
        if source._data.dtype.kind != "f":  # an integer dtype= too: torch cannot infer one
            raise DTypeError(
                f"mean: expected a floating-point tensor (or dtype=), got dtype "
                f"{source._data.dtype}.\nHint: x.float().mean(), as torch requires too."
            )
        return F.mean(source, _dim_arg(dim, axis), keepdim)

    def max(self, dim: Any = None, keepdim: bool = False):
        """Largest value; with ``dim``, (values, indices) as torch.max(x, dim)."""
        if isinstance(dim, TensorMethods):
            return F.maximum(self, dim)
        if dim is None:
            return _whole(self, F.max)
        return _values_at(self, _arg_extreme(self, np.argmax, "max", dim, True), dim, keepdim)

    def min(self, dim: Any = None, keepdim: bool = False):
        """Smallest value; with ``dim``, (values, indices) as torch.min(x, dim)."""
        if isinstance(dim, TensorMethods):
            return F.minimum(self, dim)
        if dim is None:
            return _whole(self, F.min)
        return _values_at(self, _arg_extreme(self, np.argmin, "min", dim, True), dim, keepdim)

    def amax(self, dim: Any = None, keepdim: bool = False):
        return F.max(self, dim, keepdim)

    def amin(self, dim: Any = None, keepdim: bool = False):
        return F.min(self, dim, keepdim)

    def argmax(self, dim: Any = None, keepdim: bool = False):
        return _arg_extreme(self, np.argmax, "argmax", dim, keepdim)

    def argmin(self, dim: Any = None, keepdim: bool = False):
        return _arg_extreme(self, np.argmin, "argmin", dim, keepdim)

    def var(
        self,
        dim: Any = None,
        unbiased: Any = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
    ):
        """Variance with torch's default Bessel correction (divide by N - 1)."""
        if isinstance(dim, bool):  # torch's var(unbiased) overload
            dim, unbiased = None, dim
        return F.var(self, dim, unbiased=unbiased, keepdim=keepdim, correction=correction)

    def std(
        self,
        dim: Any = None,
        unbiased: Any = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
    ):
        if isinstance(dim, bool):  # torch's std(unbiased) overload
            dim, unbiased = None, dim
        return F.std(self, dim, unbiased=unbiased, keepdim=keepdim, correction=correction)

    def all(self, dim: Any = None, keepdim: bool = False):
        return _no_grad_result(lambda a: np.all(a, axis=dim, keepdims=keepdim), self)

    def any(self, dim: Any = None, keepdim: bool = False):
        return _no_grad_result(lambda a: np.any(a, axis=dim, keepdims=keepdim), self)

    def count_nonzero(self, dim: Any = None):
        return _no_grad_result(lambda a: np.asarray(np.count_nonzero(a, axis=dim), np.int64), self)

    def nonzero(self):
        refuse("nonzero")  # its length depends on the values: a replay could not follow
        return _no_grad_result(lambda a: np.argwhere(a).astype(np.int64), self)

    # --- elementwise -----------------------------------------------------------------------
    def exp(self):
        return F.exp(self)

    def log(self):
        return F.log(self)

    def log2(self):
        return F.log(self) * (1.0 / math.log(2.0))

    def log10(self):
        return F.log(self) * (1.0 / math.log(10.0))

    def log1p(self):
        return F.log(self + 1.0)

    def sqrt(self):
        return F.sqrt(self)

    def rsqrt(self):
        return 1.0 / F.sqrt(self)

    def abs(self):
        return F.abs(self)

    def sin(self):
        return F.sin(self)

    def cos(self):
        return F.cos(self)

    def sign(self):
        return F.sign(self)

    def round(self, decimals: int = 0):
        return F.round(self, decimals=decimals)

    def floor(self):
        return F.floor(self)

    def ceil(self):
        return F.ceil(self)

    def reciprocal(self):
        return 1.0 / self

    def clip(self, min: Any = None, max: Any = None):  # noqa: A002
        return F.clip(self, min, max)

    clamp = clip

    def maximum(self, other: Any):
        return F.maximum(self, other)

    def minimum(self, other: Any):
        return F.minimum(self, other)

    def relu(self):
        return F.relu(self)

    def sigmoid(self):
        return F.sigmoid(self)

    def tanh(self):
        return F.tanh(self)

    def softmax(self, dim: int = -1, dtype: Any = None):
        return F.softmax(self, dim, dtype)

    def log_softmax(self, dim: int = -1, dtype: Any = None):
        return F.log_softmax(self, dim, dtype)

    def where(self, condition: Any, y: Any):
        return F.where(condition, self, y)

    def masked_fill(self, mask: Any, value: Any):
        """value where mask is True, self elsewhere (mask broadcasts as in torch)."""
        return F.masked_fill(self, mask, value)


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


def _arg_extreme(t: Any, pick: Any, who: str, dim: Any, keepdim: bool):
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
