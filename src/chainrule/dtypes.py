"""dtypes under torch's names, and the default float dtype (float32, as in torch).

The names are NumPy's own dtypes, so ``np.zeros(3, dtype=chainrule.float32)`` works and
``t.dtype == chainrule.float32`` compares as torch's does. The notebook's path works in
float64: chainrule.manual takes the dtype of the arrays it is given, and the tutorial sets
``set_default_dtype(chainrule.float64)`` where it uses autograd.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import DTypeError

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
float16 = np.dtype(np.float16)
int64 = np.dtype(np.int64)
int32 = np.dtype(np.int32)
int16 = np.dtype(np.int16)
int8 = np.dtype(np.int8)
uint8 = np.dtype(np.uint8)
bool_ = np.dtype(np.bool_)
double, half, long, short = float64, float16, int64, int16

# torch's aliases: torch.float is float32, torch.double float64, torch.long int64, ...
ALIASES = {"float": float32, "double": float64, "half": float16, "long": int64, "int": int32,
           "short": int16, "bool": bool_, "float32": float32, "float64": float64,
           "float16": float16, "int64": int64, "int32": int32, "int16": int16, "int8": int8,
           "uint8": uint8}

_FLOATS = (float32, float64)
_default_dtype = float32


def set_default_dtype(dtype: Any) -> None:
    """Choose float32 (the default, as in torch) or float64 for new float tensors and layers."""
    global _default_dtype
    wanted = resolve_dtype(dtype, "set_default_dtype")
    if wanted not in _FLOATS:
        raise DTypeError(f"set_default_dtype: expected float32 or float64, got {wanted}.")
    _default_dtype = wanted


def get_default_dtype() -> np.dtype:
    return _default_dtype


def resolve_dtype(dtype: Any, who: str) -> np.dtype:
    """Any dtype spelling (chainrule.float32, np.float32, 'float32', torch-style names, Python
    float/int/bool) as a NumPy dtype chainrule can compute in."""
    if isinstance(dtype, str) and dtype.removeprefix("torch.").removeprefix("chainrule.") in ALIASES:
        wanted = ALIASES[dtype.removeprefix("torch.").removeprefix("chainrule.")]
    elif dtype is float:
        wanted = _default_dtype
    elif dtype is int:
        wanted = int64
    elif dtype is bool:
        wanted = bool_
    else:
        try:
            wanted = np.dtype(dtype)
        except TypeError:
            raise DTypeError(f"{who}: expected a dtype such as chainrule.float32, got "
                             f"{dtype!r}.") from None
    if wanted == float16:
        raise DTypeError(
            f"{who}: expected float32 or float64, got float16.\nHint: chainrule computes on the "
            f"CPU with NumPy, where half precision is slower, not faster; use float32."
        )
    if wanted.kind not in "fiub":
        raise DTypeError(
            f"{who}: expected a real dtype (float32, float64, an integer or bool), got {wanted}."
        )
    return wanted


def resolve_float(dtype: Any, who: str) -> np.dtype:
    """dtype argument of a layer or factory: None means the default; only float32/64 allowed."""
    if dtype is None:
        return _default_dtype
    wanted = resolve_dtype(dtype, who)
    if wanted not in _FLOATS:
        raise DTypeError(f"{who}: expected dtype float32 or float64, got {wanted}.")
    return wanted
