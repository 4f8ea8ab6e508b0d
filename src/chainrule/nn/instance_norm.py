"""InstanceNorm1d/2d/3d: each sample's each channel normalised over its own positions."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_positive_number, fail_count, fail_shape, fail_value, shape_str
from ..device import check_device
from ..dtypes import resolve_float
from ..functional.group_norm import group_norm
from .module import Module
from .parameter import Parameter


class _InstanceNorm(Module):
    """torch.nn.InstanceNorm*d: GroupNorm with one group per channel (the same statistics), with
    torch's defaults (affine=False). Running statistics (track_running_stats=True) are not kept."""

    positions = 1  # how many position axes follow (N, C): 1, 2 or 3

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float = 0.1,
        affine: bool = False,
        track_running_stats: bool = False,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        who = f"{type(self).__name__}({num_features!r})"
        check_device(device, type(self).__name__)
        check_positive_number(who, "eps", eps)
        if isinstance(num_features, bool) or not isinstance(num_features, (int, np.integer)):
            fail_count(who, "num_features a whole number >= 1", num_features)
        if num_features < 1:
            fail_value(who, "num_features a whole number >= 1", repr(num_features))
        if track_running_stats:
            fail_value(
                who,
                "track_running_stats=False (chainrule's InstanceNorm keeps no running statistics; "
                "each sample is normalised by its own in train and eval alike)",
                "True",
            )
        dtype = resolve_float(dtype, type(self).__name__)
        self.num_features, self.eps, self.momentum, self.affine = (
            num_features,
            eps,
            momentum,
            affine,
        )
        self.track_running_stats = False
        self.weight = Parameter(np.ones(num_features, dtype=dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype=dtype)) if affine and bias else None

    def forward(self, x: Any) -> Any:
        batched = x.ndim == self.positions + 2
        if (
            not (batched or x.ndim == self.positions + 1)
            or x.shape[1 if batched else 0] != self.num_features
        ):
            fail_shape(
                f"{type(self).__name__}({self.num_features})",
                f"inputs of shape (N, {self.num_features}, ...) with {self.positions} position "
                f"axes (or unbatched, without N)",
                shape_str(x.shape),
            )
        if not batched:
            return self.forward(x.unsqueeze(0)).squeeze(0)
        if int(np.prod(x.shape[2:])) == 1:  # torch's check: one position has no spread to scale
            fail_value(
                f"{type(self).__name__}({self.num_features})",
                "more than 1 spatial element",
                f"input of shape {shape_str(x.shape)}",
            )
        return group_norm(x, self.num_features, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}"
        )


class InstanceNorm1d(_InstanceNorm):
    """Shapes: (N, C, L) or (C, L)."""

    positions = 1


class InstanceNorm2d(_InstanceNorm):
    """Shapes: (N, C, H, W) or (C, H, W)."""

    positions = 2


class InstanceNorm3d(_InstanceNorm):
    """Shapes: (N, C, D, H, W) or (C, D, H, W)."""

    positions = 3
