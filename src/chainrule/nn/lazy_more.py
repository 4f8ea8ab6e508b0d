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

    def __init__(
        self, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
        dilation: Any = 1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
        device: Any = None, dtype: Any = None, generator: SeedLike = None,
    ) -> None:  # fmt: skip
        check_device(device, type(self).__name__)
        args = (stride, padding, dilation, groups, bias, padding_mode, dtype, generator)
        self._lazy_conv(Conv3d, out_channels, kernel_size, args)


class _LazyConvTranspose(_LazyConv):
    """The transposed layers keep their weight as (C_in, C_out / groups, k...)."""

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


def _transpose_layer(base: type) -> type:
    def __init__(
        self: Any, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
        output_padding: Any = 0, groups: int = 1, bias: bool = True, dilation: Any = 1,
        padding_mode: str = "zeros", device: Any = None, dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:  # fmt: skip
        check_device(device, type(self).__name__)
        args = (stride, padding, output_padding, groups, bias, dilation, padding_mode, dtype)
        self._lazy_transpose(base, out_channels, kernel_size, args + (generator,))

    doc = f"{base.__name__} whose in_channels is the channel axis of the first input it sees."
    namespace = {"cls_to_become": base, "__init__": __init__, "__doc__": doc}
    return type(f"Lazy{base.__name__}", (_LazyConvTranspose, base), namespace)


LazyConvTranspose1d = _transpose_layer(ConvTranspose1d)
LazyConvTranspose2d = _transpose_layer(ConvTranspose2d)
LazyConvTranspose3d = _transpose_layer(ConvTranspose3d)


class LazyBatchNorm3d(_LazyBatchNorm, BatchNorm3d):
    """BatchNorm3d whose num_features is axis 1 of the first input it sees."""

    cls_to_become = BatchNorm3d

    def __init__(
        self, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
        track_running_stats: bool = True, device: Any = None, dtype: Any = None,
    ) -> None:  # fmt: skip
        self._lazy_norm(BatchNorm3d, (eps, momentum, affine, track_running_stats, device, dtype))
