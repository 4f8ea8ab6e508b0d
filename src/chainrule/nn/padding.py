"""Padding layers (torch.nn's ZeroPad, ConstantPad, ReflectionPad, ReplicationPad and
CircularPad, 1-D and 2-D) and PixelShuffle / PixelUnshuffle: thin modules over F.pad and
F.pixel_shuffle."""

from __future__ import annotations

from typing import Any

from .. import functional as F
from .module import Module


class _Pad(Module):
    mode, sides = "constant", 2

    def __init__(self, padding: Any, value: float = 0.0) -> None:
        super().__init__()
        self.padding = (padding,) * self.sides if isinstance(padding, int) else tuple(padding)
        self.value = value

    def forward(self, x: Any) -> Any:
        if self.mode == "constant":
            return F.pad(x, self.padding, "constant", self.value)
        return F.pad(x, self.padding, self.mode)

    def extra_repr(self) -> str:
        return f"{self.padding}" + (f", value={self.value}" if self.mode == "constant" else "")


class ConstantPad1d(_Pad):
    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(padding, value)


class ConstantPad2d(ConstantPad1d):
    sides = 4


class ZeroPad1d(_Pad):
    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)


class ZeroPad2d(ZeroPad1d):
    sides = 4


class ReflectionPad1d(ZeroPad1d):
    mode = "reflect"


class ReflectionPad2d(ReflectionPad1d):
    sides = 4


class ReplicationPad1d(ZeroPad1d):
    mode = "replicate"


class ReplicationPad2d(ReplicationPad1d):
    sides = 4


class CircularPad1d(ZeroPad1d):
    mode = "circular"


class CircularPad2d(CircularPad1d):
    sides = 4


class PixelShuffle(Module):
    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, x: Any) -> Any:
        return F.pixel_shuffle(x, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, x: Any) -> Any:
        return F.pixel_unshuffle(x, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"
