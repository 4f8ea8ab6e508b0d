"""torch.nn's 3-D layers: Conv3d, ConvTranspose3d, MaxPool3d, AvgPool3d, AdaptiveAvgPool3d and
BatchNorm3d, over ``functional.volume`` (BatchNorm3d is BatchNorm2d's op on a reshaped volume)."""

from __future__ import annotations

from typing import Any

from .. import functional as F
from .._checks import check_tensor, fail_shape, shape_str
from ..device import check_device
from ..functional import volume as V
from ..random import SeedLike
from .conv import _ConvNd
from .conv_transpose import _ConvTransposeNd
from .module import Module
from .normalization import BatchNorm1d
from .pooling import AvgPool2d, MaxPool2d


class Conv3d(_ConvNd):
    """3-D convolution over (N, C_in, D, H, W) or (C_in, D, H, W); weight
    (out_channels, in_channels / groups, kd, kh, kw), torch's init."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        check_device(device, type(self).__name__)
        who = "Conv3d"
        super().__init__(
            who, in_channels, out_channels, V.triple(kernel_size, who, "kernel_size"),
            V.triple(stride, who, "stride"),
            padding if isinstance(padding, str) else V.triple(padding, who, "padding"),
            V.triple(dilation, who, "dilation"), groups, bias, padding_mode, dtype, generator,
        )  # fmt: skip

    def forward(self, x: Any) -> Any:
        check_tensor(f"Conv3d({self.extra_repr()})", x)
        if x.ndim not in (4, 5) or x.shape[-4] != self.in_channels:
            fail_shape(f"Conv3d({self.extra_repr()})",
                       f"inputs of shape (N, {self.in_channels}, D, H, W)", shape_str(x.shape))  # fmt: skip
        padding = self.padding
        if padding == "valid":
            padding = 0
        elif padding == "same" or self.padding_mode != "zeros":
            if padding == "same":
                totals = [d * (k - 1) for d, k in zip(self.dilation, self.kernel_size)]
                sides = [(t // 2, t - t // 2) for t in totals]
            else:
                sides = [(p, p) for p in padding]
            flat = [v for a in reversed(range(3)) for v in sides[a]]
            mode = "constant" if self.padding_mode == "zeros" else self.padding_mode
            x, padding = F.pad(x, flat, mode=mode), 0
        return V.conv3d(x, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)


class ConvTranspose3d(_ConvTransposeNd):
    """The transposed 3-D convolution (a learned upsampling of volumes)."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        output_padding: Any = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: Any = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        check_device(device, type(self).__name__)
        super().__init__(
            3, in_channels, out_channels, kernel_size, stride, padding, output_padding,
            groups, bias, dilation, padding_mode, dtype, generator,
        )  # fmt: skip

    def forward(self, input: Any, output_size: Any = None) -> Any:  # noqa: A002
        check_tensor(f"ConvTranspose3d({self.extra_repr()})", input)
        extra = self._output_padding(input, output_size)
        return V.conv_transpose3d(
            input, self.weight, self.bias, self.stride, self.padding, extra, self.groups,
            self.dilation,
        )  # fmt: skip


class MaxPool3d(MaxPool2d):
    """MaxPool2d's settings and repr over (N, C, D, H, W)."""

    def forward(self, x: Any) -> Any:
        return V.max_pool3d(x, self.kernel_size, self.stride, self.padding, self.dilation,
                            self.ceil_mode, self.return_indices)  # fmt: skip


class AvgPool3d(AvgPool2d):
    """AvgPool2d's settings and repr over (N, C, D, H, W)."""

    def forward(self, x: Any) -> Any:
        return V.avg_pool3d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)  # fmt: skip


class AdaptiveAvgPool3d(Module):
    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, x: Any) -> Any:
        return V.adaptive_avg_pool3d(x, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class BatchNorm3d(BatchNorm1d):
    """BatchNorm over (N, C, D, H, W): the volume seen as a (N, C, D H, W) image, which has
    the same per-channel statistics."""

    def forward(self, x: Any) -> Any:
        check_tensor(f"BatchNorm3d({self.num_features})", x)
        if x.ndim != 5 or x.shape[1] != self.num_features:
            fail_shape(f"BatchNorm3d({self.num_features})",
                       f"inputs of shape (N, {self.num_features}, D, H, W)", shape_str(x.shape))  # fmt: skip
        n, c, d, h, w = x.shape
        return self._normalize(x.reshape(n, c, d * h, w)).reshape(n, c, d, h, w)
