"""More of torch's lazy layers: LazyConv3d, LazyConvTranspose1d/2d/3d and LazyBatchNorm3d, on
nn/lazy.py's machinery (placeholders materialized in place at the first forward, then the
module becomes the plain layer). LazyInstanceNorm is not here: torch's defaults track running
statistics, which chainrule's InstanceNorm refuses."""

from __future__ import annotations

from typing import Any

from ..device import check_device
from ..random import SeedLike
from .conv_transpose import ConvTranspose1d, ConvTranspose2d
from .lazy import _LazyBatchNorm, _LazyConv
from .volume import BatchNorm3d, Conv3d, ConvTranspose3d


class LazyConv3d(_LazyConv, Conv3d):
    """Conv3d whose in_channels is the channel axis of the first input it sees."""

    cls_to_become = Conv3d


class _LazyConvTranspose(_LazyConv):
    """The transposed layers keep their weight as (C_in, C_out / groups, k...)."""

    def __init__(
        self, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
        output_padding: Any = 0, groups: int = 1, bias: bool = True, dilation: Any = 1,
        padding_mode: str = "zeros", device: Any = None, dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:  # fmt: skip
        check_device(device, type(self).__name__)
        args = (stride, padding, output_padding, groups, bias, dilation, padding_mode, dtype)
        self._lazy_transpose(self.cls_to_become, out_channels, kernel_size, args + (generator,))

    def _lazy_transpose(self, base: type, out_channels: int, kernel_size: Any, args: tuple) -> None:
        stride, padding, output_padding, groups, bias, dilation, padding_mode, dtype, gen = args
        base.__init__(
            self, groups, out_channels, kernel_size, stride, padding, output_padding, groups,
            bias, dilation, padding_mode, dtype=dtype,
        )  # fmt: skip
        self.in_channels, self._generator = 0, gen
        self._lazy_placeholders(dtype, ("weight", "bias"))

    def _weight_shape(self) -> tuple:
        return (self.in_channels, self.out_channels // self.groups) + tuple(self.kernel_size)


class LazyConvTranspose1d(_LazyConvTranspose, ConvTranspose1d):
    """ConvTranspose1d whose in_channels is the channel axis of the first input it sees."""

    cls_to_become = ConvTranspose1d


class LazyConvTranspose2d(_LazyConvTranspose, ConvTranspose2d):
    """ConvTranspose2d whose in_channels is the channel axis of the first input it sees."""

    cls_to_become = ConvTranspose2d


class LazyConvTranspose3d(_LazyConvTranspose, ConvTranspose3d):
    """ConvTranspose3d whose in_channels is the channel axis of the first input it sees."""

    cls_to_become = ConvTranspose3d


class LazyBatchNorm3d(_LazyBatchNorm, BatchNorm3d):
    """BatchNorm3d whose num_features is axis 1 of the first input it sees."""

    cls_to_become = BatchNorm3d
