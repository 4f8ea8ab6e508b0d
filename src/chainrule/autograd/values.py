"""How Python values become a tensor's ndarray, and how tensors and shapes print (torch's way)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._checks import check_allocation, check_fits, check_strides
from ..device import check_device
from ..dtypes import get_default_dtype, resolve_dtype
from ..errors import ArgumentTypeError, DTypeError, ShapeError


class Size(tuple):
    """A shape, printed as torch prints ``torch.Size``; a plain tuple otherwise."""

    def __repr__(self) -> str:
        return f"chainrule.Size({list(self)})"

    __str__ = tuple.__repr__  # error messages print shapes as plain tuples

    def numel(self) -> int:
        return int(np.prod(self, dtype=np.int64))


_TYPE_NAMES = {
    "float32": "FloatTensor",
    "float64": "DoubleTensor",
    "float16": "HalfTensor",
    "int64": "LongTensor",
    "int32": "IntTensor",
    "bool": "BoolTensor",
    "uint8": "ByteTensor",
    "int8": "CharTensor",
    "int16": "ShortTensor",
}


def _to_array(data: Any, dtype: Any, who: str = "tensor") -> np.ndarray:
    """How a Python value or array becomes the ndarray inside a Tensor.

    NumPy arrays and scalars keep their dtype (as torch.tensor(ndarray)); Python floats and
    lists of them take the default float dtype; bools and ints stay bool and int64. None and
    strings are refused, as in torch: NumPy would turn None into NaN without a word.
    """
    if isinstance(data, (list, tuple)) and any(hasattr(d, "_data") for d in data):
        data = [d._data if hasattr(d, "_data") else d for d in data]
    if isinstance(data, (np.ndarray, np.generic)):
        array = np.asarray(data)
    else:
        try:
            array = np.array(data)
        except ValueError:
            raise ShapeError(
                f"{who}: expected a rectangular nesting of numbers, got lists of different lengths."
            ) from None
    python = not isinstance(data, (np.ndarray, np.generic))
    target = np.dtype(np.int64) if dtype is None else resolve_dtype(dtype, who)
    huge = python and array.dtype.kind == "O" and all(type(v) is int for v in array.flat)
    if huge and target.kind == "f":  # 2**70 as a float, as torch (None is still refused below)
        array = array.astype(np.float64)
    if python and (array.dtype.kind in "uO" or dtype is not None):  # 2**64, or 256 as uint8
        check_fits(who, array, target)
    # float16 is refused where torch would keep it (a list of np.float16 too), not as the source of a dtype= cast
    check_array(array, who, cast=dtype is not None)
    if dtype is not None:
        return array.astype(target)
    if python:
        if array.dtype.kind == "f":
            array = array.astype(get_default_dtype())
        elif array.dtype.kind in "iu":
            array = array.astype(np.int64, copy=False)
    return array


def constructed(keeps: bool, data: Any, sizes: tuple, dtype: Any, device: Any) -> np.ndarray:
    """``Tensor(...)`` called as torch's legacy constructor: sizes (``Tensor(2, 3)``, a Size)
    give a zero-filled tensor; data (a list, an array) takes the default float dtype, sharing
    an array already of it; a Tensor is shared as it is. ``dtype=`` (chainrule's) overrides.
    ``keeps``: Parameter and Buffer, which keep data's dtype (a Tensor's memory shared)."""
    check_device(device, "Tensor")
    if keeps and not sizes:
        return _to_array(data._data if hasattr(data, "_data") else data, dtype)
    shape = None
    if data is _NOTHING:
        shape = (0,)
    elif isinstance(data, Size) or _is_size(data):
        shape = (*data, *sizes) if isinstance(data, Size) else (data, *sizes)
    if shape is not None:
        if not all(_is_size(n) and n >= 0 for n in shape):
            raise ArgumentTypeError(
                f"Tensor: expected sizes that are ints >= 0, got {tuple(shape)}.\nHint: "
                f"Tensor(2, 3) is an empty 2x3 tensor; chainrule.tensor(data) makes one from data."
            )
        kind = resolve_dtype(dtype, "Tensor") if dtype else get_default_dtype()
        shape = tuple(int(n) for n in shape)
        check_allocation("Tensor", math.prod(shape), kind.itemsize, f"sizes {shape}")
        return np.zeros(shape, kind)
    if sizes:
        raise ArgumentTypeError(
            f"Tensor: expected data or sizes, got data followed by {sizes}.\nHint: pass "
            f"requires_grad and dtype by keyword."
        )
    if hasattr(data, "_data"):
        return data._data if dtype is None else _to_array(data._data, dtype, "Tensor")
    if isinstance(data, (bool, float, complex, np.generic)) or data is None:
        raise ArgumentTypeError(
            f"Tensor: expected a sequence, an array or sizes, got {type(data).__name__}.\n"
            f"Hint: chainrule.tensor({data!r}) makes a 0-d tensor."
        )
    target = dtype if dtype is not None else get_default_dtype()
    if isinstance(data, np.ndarray) and data.dtype == target:
        return _to_array(data, None, "Tensor")  # shared, as torch shares a float32 array
    return _to_array(data, target, "Tensor")


def _is_size(n: Any) -> bool:
    return isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_))


_NOTHING = object()  # Tensor() with no argument: an empty float tensor, as torch's


def check_array(array: np.ndarray, who: str, cast: bool = False) -> None:
    """Refuse what chainrule cannot compute in; ``cast``: a dtype= follows, so float16 may pass."""
    kind, hint = array.dtype.kind, None
    check_strides(who, array)
    if kind in "OUSV":
        got, hint = (
            _kind_of(array),
            "replace None and strings with numbers (float('nan') for a missing value).",
        )
    elif kind == "c":
        got, hint = (
            array.dtype,
            "chainrule has no complex numbers; keep real and imaginary parts in two tensors.",
        )
    elif array.dtype == np.float16 and not cast:
        raise DTypeError(
            f"{who}: expected float32 or float64, got float16.\nHint: on NumPy half precision is "
            f"slower, not faster; use array.astype(np.float32)."
        )
    elif kind not in "fiub":
        got = f"dtype {array.dtype}"
    else:
        return
    raise DTypeError(
        f"{who}: expected numbers (float, int or bool), got {got}."
        + (f"\nHint: {hint}" if hint else "")
    )


def _kind_of(array: np.ndarray) -> str:
    """What a refused array holds, in a few words: None, strings, a sequence holding None."""
    if array.dtype.kind != "O":
        return f"strings (dtype {array.dtype})"
    odd = [
        type(v).__name__
        for v in array.reshape(-1)
        if not isinstance(v, (int, float, bool, np.number))
    ]
    return ("a sequence holding " if array.ndim else "") + (odd or ["objects"])[0].replace(
        "NoneType", "None"
    )
