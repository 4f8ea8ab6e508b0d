"""How Python values become a tensor's ndarray, and how tensors and shapes print (torch's way)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_strides
from ..dtypes import get_default_dtype, resolve_dtype
from ..errors import DTypeError, ShapeError


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
    for axis in np.flatnonzero(np.array(values.shape) > 6) if values.size > 1000 else ():
        values = np.delete(values, np.s_[3:-3], axis)  # torch formats only the shown entries
    finite = np.abs(values[np.isfinite(values)])
    if finite.size == 0 or np.all(finite == np.round(finite)) and finite.max() < 1e8:
        return None
    nonzero, signed = finite[finite > 0], values[np.isfinite(values)]
    big, small = nonzero.max(), nonzero.min()  # not all whole numbers: so one is nonzero
    spec = ".4e" if big >= 1e8 or small < 1e-4 or big / small > 1e3 else ".4f"
    shown = (signed.max(), signed.min(), np.copysign(small, signed.min()))  # nan, inf are shorter
    width = max(len(f"{v:{spec}}") for v in shown)  # torch right-aligns every entry to one width
    return {"float_kind": lambda v: f"{v:>{width}{spec}}"}


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
    # float16 is refused where torch would keep it (a list of np.float16 too), not as the source of a dtype= cast
    check_array(array, who, cast=dtype is not None)
    if dtype is not None:
        return array.astype(resolve_dtype(dtype, who))
    if not isinstance(data, (np.ndarray, np.generic)):
        if array.dtype.kind == "f":
            array = array.astype(get_default_dtype())
        elif array.dtype.kind == "i":
            array = array.astype(np.int64, copy=False)
    return array


def check_array(array: np.ndarray, who: str, cast: bool = False) -> None:
    """Refuse what chainrule cannot compute in; ``cast``: a dtype= follows, so float16 may pass."""
    kind, hint = array.dtype.kind, None
    check_strides(who, array)
    if kind in "OUSV":
        got = _kind_of(array)
        hint = "replace None and strings with numbers (float('nan') for a missing value)."
    elif kind == "c":
        got = array.dtype
        hint = "chainrule has no complex numbers; keep real and imaginary parts in two tensors."
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
