"""torch.nn's PixelShuffle, PixelUnshuffle, ChannelShuffle, Fold, UpsamplingNearest2d,
UpsamplingBilinear2d, Bilinear, and the Dropout1d/3d, AlphaDropout, FeatureAlphaDropout layers."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._checks import check_probability, fail_value
from ..device import check_device
from ..dtypes import resolve_float
from ..functional import dropout_more as D
from ..functional import vision as V
from ..random import SeedLike, as_generator
from . import init
from .module import Module
from .parameter import Parameter
from .upsample import Upsample


class PixelShuffle(Module):
    """(*, C r^2, H, W) -> (*, C, H r, W r)."""

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, x: Any) -> Any:
        return V.pixel_shuffle(x, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """(*, C, H r, W r) -> (*, C r^2, H, W)."""

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, x: Any) -> Any:
        return V.pixel_unshuffle(x, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"


class ChannelShuffle(Module):
    """Interleave the channels of ``groups`` groups (ShuffleNet)."""

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, x: Any) -> Any:
        return V.channel_shuffle(x, self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"


class Fold(Module):
    """col2im as a layer: (N, C kh kw, L) -> (N, C, H, W), overlapping patches summed."""

    def __init__(
        self,
        output_size: Any,
        kernel_size: Any,
        dilation: Any = 1,
        padding: Any = 0,
        stride: Any = 1,
    ) -> None:
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, x: Any) -> Any:
        return V.fold(
            x, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride
        )

    def extra_repr(self) -> str:
        return (
            f"output_size={self.output_size}, kernel_size={self.kernel_size}, "
            f"dilation={self.dilation}, padding={self.padding}, stride={self.stride}"
        )


class UpsamplingNearest2d(Upsample):
    """Upsample(mode='nearest') for images (torch keeps the name; Upsample is preferred)."""

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, _float_scale(scale_factor), mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """Upsample(mode='bilinear', align_corners=True): corners stay on corners."""

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, _float_scale(scale_factor), mode="bilinear", align_corners=True)


def _float_scale(scale_factor: Any) -> Any:
    """torch stores a scalar scale as a float (its repr shows 2.0)."""
    return float(scale_factor) if isinstance(scale_factor, (int, np.integer)) else scale_factor


class Bilinear(Module):
    """y = x1^T A x2 + b per output: A of shape (out_features, in1_features, in2_features).

    Init as torch: A and b ~ U(-1/sqrt(in1_features), 1/sqrt(in1_features)).
    """

    def __init__(
        self,
        in1_features: int,
        in2_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        check_device(device, type(self).__name__)
        super().__init__()
        for name, size in (("in1_features", in1_features), ("in2_features", in2_features),
                           ("out_features", out_features)):  # fmt: skip
            if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
                fail_value("Bilinear", f"{name} a whole number >= 1", repr(size))
        self.in1_features, self.in2_features = in1_features, in2_features
        self.out_features = out_features
        dtype = resolve_float(dtype, "Bilinear")
        shape = (out_features, in1_features, in2_features)
        self.weight = Parameter(np.empty(shape, dtype=dtype))
        self.bias = Parameter(np.empty(out_features, dtype=dtype)) if bias else None
        self.reset_parameters(generator)

    def reset_parameters(self, generator: SeedLike = None) -> None:
        rng = as_generator(generator)
        bound = 1 / math.sqrt(self.in1_features)
        init.uniform_(self.weight, -bound, bound, generator=rng)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound, generator=rng)

    def forward(self, input1: Any, input2: Any) -> Any:
        return V.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
            f"out_features={self.out_features}, bias={self.bias is not None}"
        )


class _DropoutNd(Module):
    def __init__(self, p: float = 0.5, inplace: bool = False, generator: SeedLike = None) -> None:
        super().__init__()
        check_probability(type(self).__name__, "p", p)
        self.p, self.inplace = p, inplace
        self.generator = None if generator is None else as_generator(generator)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(_DropoutNd):
    """Zero whole channels of (N, C, L) or (C, L) while training."""

    def forward(self, x: Any) -> Any:
        return D.dropout1d(x, self.p, self.training, self.inplace, self.generator)


class Dropout3d(_DropoutNd):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) while training."""

    def forward(self, x: Any) -> Any:
        return D.dropout3d(x, self.p, self.training, self.inplace, self.generator)


class AlphaDropout(_DropoutNd):
    """Dropout that keeps a SELU network's mean and variance; the identity in eval mode."""

    def forward(self, x: Any) -> Any:
        # torch's module does not pass inplace on: AlphaDropout(inplace=True) is out of place
        return D.alpha_dropout(x, self.p, self.training, generator=self.generator)


class FeatureAlphaDropout(_DropoutNd):
    """AlphaDropout of whole channels of (N, C, *)."""

    def forward(self, x: Any) -> Any:
        return D.feature_alpha_dropout(x, self.p, self.training, generator=self.generator)
