"""torch.Tensor methods written outside autograd/ (which keeps a line budget): sorting,
indexing, predicates and the new_* constructors. Tensor finds them here by name when its own
attributes do not have them: they are bound onto the class once, at import (the end of this
file), so ``x.topk(3)`` is ``topk(x, 3)`` and ``dir(x)`` lists them."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import einsum, elementwise_math, indexing, predicates, rearrange, scan_stats, scatter
from . import bitwise, differences, elementwise, lerp, sorting, splitting, statistics
from . import histogram, tensor_api_methods
from .._checks import check_allocation, check_fits, message
from ..errors import ShapeError
from ..autograd.inplace import modify
from ..autograd.tensor import Tensor as _Tensor
from .sorting import _tensor


def _flip_plane(who: str, x: Any, dim: int) -> Any:
    """flipud needs a dim 0 and fliplr a dim 1, where flip(0) of a 0-d tensor is the tensor."""
    if x.ndim <= dim:  # torch: "Input must be >= 1-d." (RuntimeError)
        raise ShapeError(message(who, f"at least {dim + 1}-d input", f"a {x.ndim}-d tensor"))
    return indexing.flip(x, dim)


def _size(size: tuple, dtype: Any = np.float64) -> tuple:
    """torch's two spellings: new_zeros(2, 3) and new_zeros((2, 3)); refused before NumPy
    allocates if it cannot fit in memory."""
    size = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
    elements = math.prod(int(n) for n in size) if all(np.ndim(n) == 0 for n in size) else 0
    check_allocation("new_tensor", elements, np.dtype(dtype).itemsize, f"sizes {size}")
    return size


def _new(self: Any, array: np.ndarray, requires_grad: bool):
    out = _tensor(array)
    return out.requires_grad_() if requires_grad else out


def new_zeros(self: Any, *size: Any, dtype: Any = None, requires_grad: bool = False, **_: Any):
    """Zeros with this tensor's dtype unless ``dtype`` says otherwise (device is the CPU)."""
    return _new(
        self, np.zeros(_size(size, dtype or self.dtype), dtype=dtype or self.dtype), requires_grad
    )


def new_ones(self: Any, *size: Any, dtype: Any = None, requires_grad: bool = False, **_: Any):
    return _new(
        self, np.ones(_size(size, dtype or self.dtype), dtype=dtype or self.dtype), requires_grad
    )


def new_empty(self: Any, *size: Any, dtype: Any = None, requires_grad: bool = False, **_: Any):
    return _new(
        self, np.zeros(_size(size, dtype or self.dtype), dtype=dtype or self.dtype), requires_grad
    )


def new_full(
    self: Any,
    size: Any,
    fill_value: Any,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
    **_: Any,
):
    dtype = dtype or self.dtype
    return _new(
        self,
        np.full(_size((size,), dtype), check_fits("new_full", fill_value, dtype), dtype),
        requires_grad,
    )


def new_tensor(self: Any, data: Any, dtype: Any = None, requires_grad: bool = False, **_: Any):
    """A copy of ``data`` with this tensor's dtype unless ``dtype`` is given, as torch."""
    if not hasattr(data, "_data") and not isinstance(data, (np.ndarray, np.generic)):
        check_fits("new_tensor", data, dtype or self.dtype)  # 300 into uint8 would wrap to 44
    # astype, not dtype=: NumPy refuses -1 as uint8 where torch stores 255
    array = np.array(getattr(data, "_data", data)).astype(dtype or self.dtype)
    return _new(self, array, requires_grad)


def _flip(self: Any, *dims: Any):
    """x.flip(0, 1) and x.flip([0, 1]) both, as torch.Tensor.flip."""
    return indexing.flip(self, dims[0] if len(dims) == 1 else dims)


def _clamp_min(self: Any, min: Any):  # noqa: A002
    return self.clip(min=min)


def _clamp_max(self: Any, max: Any):  # noqa: A002
    return self.clip(max=max)


def _tile(self: Any, *dims: Any):
    return rearrange.tile(self, _size(dims))


def _is_contiguous(self: Any, memory_format: Any = None) -> bool:
    return bool(self._data.flags.c_contiguous)


TENSOR_EXTRAS: dict[str, Any] = {
    "prod": einsum.prod,
    "unbind": rearrange.unbind,
    "narrow": rearrange.narrow,
    "movedim": rearrange.movedim,
    "moveaxis": rearrange.movedim,
    "broadcast_to": rearrange.broadcast_to,
    "tile": _tile,
    "roll": rearrange.roll,
    "diagonal": rearrange.diagonal,
    "trace": rearrange.trace,
    "dot": rearrange.dot,
    "clamp_min": _clamp_min,
    "clamp_max": _clamp_max,
    "fliplr": lambda self: _flip_plane("fliplr", self, 1),
    "flipud": lambda self: _flip_plane("flipud", self, 0),
    "argwhere": lambda self: self.nonzero(),
    "is_contiguous": _is_contiguous,
    "sort": sorting.sort,
    "argsort": sorting.argsort,
    "topk": sorting.topk,
    "kthvalue": sorting.kthvalue,
    "cumsum": sorting.cumsum,
    "gather": indexing.gather,
    "index_select": indexing.index_select,
    "masked_select": indexing.masked_select,
    "flip": _flip,
    "diag": indexing.diag,
    "tril": indexing.tril,
    "triu": indexing.triu,
    "outer": indexing.outer,
    "bmm": indexing.bmm,
    "logsumexp": indexing.logsumexp,
    "isclose": predicates.isclose,
    "logical_not": predicates.logical_not,
    "logical_and": predicates.logical_and,
    "logical_or": predicates.logical_or,
    "logical_xor": predicates.logical_xor,
    "unique": predicates.unique,
    "bincount": predicates.bincount,
    "is_floating_point": predicates.is_floating_point,
    "new_zeros": new_zeros,
    "new_ones": new_ones,
    "new_empty": new_empty,
    "new_full": new_full,
    "new_tensor": new_tensor,
    "chunk": splitting.chunk,
    "split": splitting.split,
    "unflatten": splitting.unflatten,
    "norm": statistics.norm,
    "square": elementwise.square,
    "mv": rearrange.mv,
    "lerp": lerp.lerp,
    "nan_to_num": elementwise.nan_to_num,
    "repeat_interleave": rearrange.repeat_interleave,
    "bitwise_and": bitwise.bitwise_and,
    "bitwise_or": bitwise.bitwise_or,
    "bitwise_xor": bitwise.bitwise_xor,
    "bitwise_not": bitwise.bitwise_not,
}
_MATH = ("erf", "erfc", "expm1", "tan", "asin", "acos", "atan", "sinh", "cosh", "atan2")
_MATH += ("remainder", "fmod", "floor_divide", "trunc")
TENSOR_EXTRAS.update({name: getattr(elementwise_math, name) for name in _MATH})
TENSOR_EXTRAS.update(arcsin=elementwise_math.asin, arccos=elementwise_math.acos)
TENSOR_EXTRAS.update(arctan=elementwise_math.atan, arctan2=elementwise_math.atan2)
TENSOR_EXTRAS.update(fix=elementwise_math.trunc)
TENSOR_EXTRAS.update(diff=differences.diff, ravel=lambda self: self.reshape(-1))
_SCANS = ("cumprod", "cummax", "cummin", "median", "mode", "quantile")
TENSOR_EXTRAS.update({name: getattr(scan_stats, name) for name in _SCANS})
# half() stays refused by Tensor.to (float16 is slower on NumPy): see its error message
TENSOR_EXTRAS.update(byte=lambda self: self.to(np.uint8), char=lambda self: self.to(np.int8))
TENSOR_EXTRAS.update(short=lambda self: self.to(np.int16))
_SCATTERS = ("scatter", "scatter_add", "index_add", "index_fill", "index_put")
TENSOR_EXTRAS.update({name: getattr(scatter, name) for name in _SCATTERS})
TENSOR_EXTRAS.update({name + "_": getattr(scatter, name + "_") for name in _SCATTERS})

TENSOR_EXTRAS.update(tensor_api_methods.METHODS)  # torch's function namespace, as methods
TENSOR_EXTRAS.update(multiply_=_Tensor.mul_, subtract_=_Tensor.sub_, true_divide_=_Tensor.div_)
TENSOR_EXTRAS.update(
    histogram=histogram.histogram
)  # makemore's t.histogram(); histc: tensor_api_extra


def _torch_level_methods() -> dict[str, Any]:
    """Tensor methods torch has for functions chainrule keeps at its top level (linalg2's)."""
    from . import float_parts, lu_legacy, special_api

    return {
        "frexp": float_parts.frexp,
        "msort": float_parts.msort,
        "i0": special_api.i0,
        "mvlgamma": special_api.mvlgamma,
        "polygamma": lambda self, n: special_api.polygamma(n, self),  # torch: x.polygamma(n)
        "lu": lu_legacy.lu,
        "lu_solve": lu_legacy.lu_solve,
    }


TENSOR_EXTRAS.update(_torch_level_methods())


def _in_place(name: str) -> Any:
    """x.name_(...): x.name(...) written back into x, under torch's rules (autograd/inplace.py)."""

    def method(self: Any, *args: Any, **kwargs: Any):
        return modify(self, name + "_", lambda x, *rest: getattr(x, name)(*rest, **kwargs), *args)

    method.__name__ = name + "_"
    return method


_IN_PLACE = ("sin", "cos", "floor", "ceil", "round", "sign", "reciprocal", "square", "trunc")
_IN_PLACE += ("remainder", "fmod", "floor_divide", "clamp_min", "clamp_max", "nan_to_num")
_IN_PLACE += ("logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not")
TENSOR_EXTRAS.update({name + "_": _in_place(name) for name in _IN_PLACE})

for _name, _method in TENSOR_EXTRAS.items():
    if not hasattr(_Tensor, _name):  # Tensor's own methods win
        setattr(_Tensor, _name, _method)
# The one deliberate override: torch's div takes rounding_mode=, which Tensor's own div (an alias
# of __truediv__, inside autograd/) does not; true division still goes straight to Div.
_Tensor.div = _Tensor.divide = elementwise_math.divide
