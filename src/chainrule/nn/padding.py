"""torch.nn's padding modules (Zero/Constant/Reflection/Replication/CircularPad1d, 2d, 3d),
each a fixed call of ``functional.pad``, which holds the one gradient rule for every mode."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import fail_value, message, shape_str
from ..errors import ShapeError
from ..functional.padding import pad
from .module import Module


class PaddingDimError(ShapeError, NotImplementedError):
    """torch raises NotImplementedError for a reflect or replicate pad of the wrong rank."""


class _PadNd(Module):
    mode = "constant"
    dims = 1  # how many trailing axes are padded

    def __init__(self, padding: Any) -> None:
        super().__init__()
        self.padding = _as_pads(type(self).__name__, padding, self.dims)

    def forward(self, x: Any) -> Any:
        if self.mode != "constant" and x.ndim not in (self.dims + 1, self.dims + 2):
            layout = f"{self.dims + 1}-d (unbatched) or {self.dims + 2}-d (batched)"
            error = PaddingDimError if self.mode != "circular" else ShapeError
            raise error(message(type(self).__name__, f"{layout} inputs", shape_str(x.shape)))
        return pad(x, self.padding, self.mode, self._value())

    def _value(self) -> float | None:
        return None

    def extra_repr(self) -> str:
        return f"{self.padding}"


def _as_pads(who: str, padding: Any, dims: int) -> tuple[int, ...]:
    """An int pads every side alike; a tuple gives (left, right, top, bottom, front, back)."""
    if isinstance(padding, (int, np.integer)) and not isinstance(padding, bool):
        return (int(padding),) * (2 * dims)
    if isinstance(padding, (tuple, list)) and len(padding) == 2 * dims:
        if all(isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in padding):
            return tuple(int(p) for p in padding)
    fail_value(who, f"padding an int or a tuple of {2 * dims} ints", repr(padding))


class _ConstantPadNd(_PadNd):
    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def _value(self) -> float | None:
        return self.value

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last axis with ``value``: (C, W) or (N, C, W)."""


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two axes with ``value``: (C, H, W) or (N, C, H, W)."""

    dims = 2


class ConstantPad3d(_ConstantPadNd):
    dims = 3


class ZeroPad1d(_ConstantPadNd):
    """Pad the last axis with zeros."""

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(ZeroPad1d):
    dims = 2


class ZeroPad3d(ZeroPad1d):
    dims = 3


class ReflectionPad1d(_PadNd):
    """Mirror about the edge without repeating it: [1, 2, 3] padded by 2 is [3, 2, 1, 2, 3, 2, 1]."""

    mode = "reflect"


class ReflectionPad2d(ReflectionPad1d):
    dims = 2


class ReflectionPad3d(ReflectionPad1d):
    dims = 3


class ReplicationPad1d(_PadNd):
    """Repeat the edge value: [1, 2, 3] padded by 2 is [1, 1, 1, 2, 3, 3, 3]."""

    mode = "replicate"


class ReplicationPad2d(ReplicationPad1d):
    dims = 2


class ReplicationPad3d(ReplicationPad1d):
    dims = 3


class CircularPad1d(_PadNd):
    """Wrap around: [1, 2, 3] padded by 2 is [2, 3, 1, 2, 3, 1, 2]."""

    mode = "circular"


class CircularPad2d(CircularPad1d):
    dims = 2


class CircularPad3d(CircularPad1d):
    dims = 3
