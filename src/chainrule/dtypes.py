"""The default float dtype: float64 like NumPy and the notebook (PyTorch's is float32, on purpose)."""

from __future__ import annotations

import numpy as np

from .errors import DTypeError

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_default_dtype = np.dtype(np.float64)


def set_default_dtype(dtype) -> None:
    """Choose float32 or float64 for new tensors and layers that are not given a dtype."""
    global _default_dtype
    wanted = np.dtype(dtype)
    if wanted not in _FLOATS:
        raise DTypeError(f"set_default_dtype: expected float32 or float64, got {wanted}.")
    _default_dtype = wanted


def get_default_dtype() -> np.dtype:
    return _default_dtype


def resolve_float(dtype, who: str) -> np.dtype:
    """dtype argument of a layer or factory: None means the default; only float32/64 allowed."""
    if dtype is None:
        return _default_dtype
    wanted = np.dtype(dtype)
    if wanted not in _FLOATS:
        raise DTypeError(f"{who}: expected dtype float32 or float64, got {wanted}.")
    return wanted
