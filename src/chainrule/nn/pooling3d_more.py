"""torch.nn's AdaptiveMaxPool3d, MaxUnpool3d and LPPool3d, over functional/pooling3d_more.py."""

from __future__ import annotations

from typing import Any

from ..functional import pooling3d_more as P
from .pooling_more import AdaptiveMaxPool2d, LPPool2d, MaxUnpool2d


class AdaptiveMaxPool3d(AdaptiveMaxPool2d):
    """AdaptiveMaxPool2d over (N, C, D, H, W) or (C, D, H, W); indices are flat in (D, H, W)."""

    def forward(self, x: Any) -> Any:
        return P.adaptive_max_pool3d(x, self.output_size, self.return_indices)


class MaxUnpool3d(MaxUnpool2d):
    """Each value back at its MaxPool3d / AdaptiveMaxPool3d index in a zero volume."""

    @staticmethod
    def _size(value: Any) -> tuple[int, ...]:
        return tuple(value) if isinstance(value, (tuple, list)) else (value, value, value)

    def forward(self, input: Any, indices: Any, output_size: Any = None) -> Any:  # noqa: A002
        return P.max_unpool3d(
            input, indices, self.kernel_size, self.stride, self.padding, output_size
        )


class LPPool3d(LPPool2d):
    """LPPool2d over (N, C, D, H, W) or (C, D, H, W)."""

    def forward(self, x: Any) -> Any:
        return P.lp_pool3d(x, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)
