"""How Python values become a tensor's ndarray, and how tensors and shapes print (torch's way)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dtypes import get_default_dtype, resolve_dtype
from ..errors import DTypeError


class Size(tuple):
    """A shape, printed as torch prints ``torch.Size``; a plain tuple otherwise."""

    def __repr__(self) -> str:
        return f"chainrule.Size({list(self)})"

    __str__ = tuple.__repr__  # error messages print shapes as plain tuples

    def numel(self) -> int:
        return int(np.prod(self, dtype=np.int64))


def _float_format(values: np.ndarray) -> Any:
    """torch's print style: 4 decimals, or scientific when the magnitudes are far apart."""
    if values.dtype.kind != "f" or values.size == 0:
        return None
    finite = np.abs(values[np.isfinite(values)])
    if finite.size == 0 or np.all(finite == np.round(finite)) and finite.max() < 1e8:
        return None
    nonzero = finite[finite > 0]
    if nonzero.size and (nonzero.max() >= 1e8 or nonzero.min() < 1e-4 or nonzero.max() / nonzero.min() > 1e3):
        return {"float_kind": lambda v: f"{v:.4e}"}
    return {"float_kind": lambda v: f"{v:.4f}"}


_TYPE_NAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
               "int64": "LongTensor", "int32": "IntTensor", "bool": "BoolTensor",
               "uint8": "ByteTensor", "int8": "CharTensor", "int16": "ShortTensor"}


def _to_array(data: Any, dtype: Any) -> np.ndarray:
    """How a Python value or array becomes the ndarray inside a Tensor.

    NumPy arrays and scalars keep their dtype (as torch.tensor(ndarray)); Python floats and
    lists of them take the default float dtype; bools and ints stay bool and int64.
    """
    if dtype is not None:
        wanted = resolve_dtype(dtype, "tensor")
        if isinstance(data, (list, tuple)) and any(hasattr(d, "_data") for d in data):
            data = [d._data if hasattr(d, "_data") else d for d in data]
        return np.array(data, dtype=wanted)
    if isinstance(data, np.ndarray):
        array = data
    elif isinstance(data, np.generic):
        array = np.asarray(data)
    else:
        if isinstance(data, (list, tuple)) and any(hasattr(d, "_data") for d in data):
            data = [d._data if hasattr(d, "_data") else d for d in data]
        array = np.array(data)
        if array.dtype.kind == "f" or array.dtype == object:
            array = array.astype(get_default_dtype())
        elif array.dtype.kind == "i":
            array = array.astype(np.int64, copy=False)
    if array.dtype.kind == "c":
        raise DTypeError(
            f"tensor: expected a real dtype (float, int or bool), got {array.dtype}.\n"
            f"Hint: chainrule does not support complex numbers; keep real and imaginary "
            f"parts in two tensors."
        )
    if array.dtype.kind not in "fiub":
        raise DTypeError(f"tensor: expected numbers (float, int or bool), got dtype {array.dtype}.")
    return array
