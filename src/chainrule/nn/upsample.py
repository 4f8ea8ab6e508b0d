"""Upsample: the layer over ``functional.interpolate``."""

from __future__ import annotations

from typing import Any

from ..functional.interpolate import interpolate
from .module import Module


class Upsample(Module):
    """Resize (N, C, L) or (N, C, H, W) to ``size`` or by ``scale_factor``; see F.interpolate.

    >>> import chainrule as cr
    >>> cr.nn.Upsample(scale_factor=2)(cr.zeros(1, 3, 4, 4)).shape
    chainrule.Size([1, 3, 8, 8])
    """

    def __init__(
        self,
        size: Any = None,
        scale_factor: Any = None,
        mode: str = "nearest",
        align_corners: bool | None = None,
        recompute_scale_factor: bool | None = None,
    ) -> None:
        super().__init__()
        self.size, self.scale_factor, self.mode = size, scale_factor, mode
        self.align_corners, self.recompute_scale_factor = align_corners, recompute_scale_factor

    def forward(self, x: Any) -> Any:
        return interpolate(
            x, self.size, self.scale_factor, self.mode, self.align_corners,
            self.recompute_scale_factor,
        )  # fmt: skip

    def extra_repr(self) -> str:
        if self.scale_factor is not None:
            factor = self.scale_factor  # torch keeps it as a float: scale_factor=2.0
            shown = tuple(map(float, factor)) if isinstance(factor, tuple) else float(factor)
            return f"scale_factor={shown!r}, mode={self.mode!r}"
        return f"size={self.size}, mode={self.mode!r}"
