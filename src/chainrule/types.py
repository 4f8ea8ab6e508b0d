"""``torch.types``: the type aliases annotations in torch programs import (``Number``,
``Device``, ``_size``, ...), pointing at chainrule's classes."""

from __future__ import annotations

import os
from typing import IO, Union

import numpy as np

from .autograd.tensor import Size, Tensor
from .device import Device as _Device

_bool = bool
_int = int
_float = float
_complex = complex
_str = str
_bytes = bytes
_dtype = np.dtype  # chainrule's dtypes are NumPy's
_device = _Device
_size = Union[Size, list[int], tuple[int, ...]]
Number = Union[int, float, bool]
_Number = (int, float, bool)  # for isinstance, as torch keeps it
Device = Union[_Device, str, int, None]
FileLike = Union[str, os.PathLike, IO[bytes]]
_TensorOrTensors = Union[Tensor, "tuple[Tensor, ...]"]

__all__ = ["Device", "FileLike", "Number", "Size", "Tensor"]
