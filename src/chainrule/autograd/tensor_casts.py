"""A tensor's casts by name (torch's ``float()``, ``long()``, ``type()``...): each one ``to``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..dtypes import tensor_type_dtype
from .values import _TYPE_NAMES

if TYPE_CHECKING:
    from .tensor import Tensor


class TensorCasts:
    """Mixed into Tensor; ``self.to`` does the work (a Cast in the graph for floats)."""

    __slots__ = ()

    def type(self, dtype: Any = None) -> Any:
        """With no argument, torch's type name ('chainrule.FloatTensor'); else a cast."""
        if dtype is None:
            return f"chainrule.{_TYPE_NAMES.get(self._data.dtype.name, self._data.dtype.name)}"
        return self.to(tensor_type_dtype(dtype) if isinstance(dtype, str) else dtype)

    def type_as(self, other: Tensor) -> Tensor:
        return self.to(other.dtype)

    def float(self) -> Tensor:
        return self.to(np.float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def half(self) -> Tensor:
        return self.to(np.float16)

    def long(self) -> Tensor:
        return self.to(np.int64)

    def int(self) -> Tensor:
        return self.to(np.int32)

    def bool(self) -> Tensor:
        return self.to(np.bool_)
