"""``Tensor.view(dtype)``: the same bytes read as another dtype, as torch's. With another
element size the last dim grows or shrinks by the ratio, which needs that dim contiguous (and,
to grow the elements, a size the ratio divides); the result carries no gradient."""

from __future__ import annotations

from typing import Any

import numpy as np

from .autograd.tensor import Tensor
from .autograd.values import _TYPE_NAMES
from .dtypes import resolve_dtype
from .errors import ShapeError


def is_dtype(value: Any) -> bool:
    return isinstance(value, np.dtype) or (
        isinstance(value, type) and issubclass(value, np.generic)
    )


def view_as_dtype(tensor: Tensor, dtype: Any) -> Tensor:
    target = resolve_dtype(dtype, "view")
    array, size = tensor._data, target.itemsize
    old = array.dtype.itemsize
    if size != old:
        names = f"{_torch_name(array.dtype)} as {_torch_name(target)}"
        if array.ndim == 0:
            raise ShapeError(
                f"view: expected a tensor with at least one dim to view {names} (different "
                f"element sizes), got a 0-d tensor."
            )
        if array.shape[-1] != 1 and array.strides[-1] != old:
            raise ShapeError(
                f"view: expected self.stride(-1) to be 1 to view {names} (different element "
                f"sizes), got {array.strides[-1] // old}.\nHint: call .contiguous() first."
            )
        if size > old and (array.shape[-1] * old) % size:
            raise ShapeError(
                f"view: expected self.size(-1) divisible by {size // old} to view {names} "
                f"(different element sizes), got {array.shape[-1]}."
            )
    viewed = Tensor._wrap(_reinterpreted(array, target))
    viewed._vc = tensor._vc  # a view: its writes count as the base's, as torch's do
    return viewed


def _reinterpreted(array: np.ndarray, target: np.dtype) -> np.ndarray:
    """NumPy's view, which wants the last axis contiguous: a size-1 last axis may stride."""
    if array.ndim and array.shape[-1] == 1 and array.strides[-1] != array.itemsize:
        array = np.lib.stride_tricks.as_strided(
            array, array.shape, (*array.strides[:-1], array.itemsize)
        )
    return array.view(target)


def _torch_name(dtype: np.dtype) -> str:
    """torch's short name in its messages: Float, Double, Long, ..."""
    return _TYPE_NAMES.get(dtype.name, dtype.name).removesuffix("Tensor")
