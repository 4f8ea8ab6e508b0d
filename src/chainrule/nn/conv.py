"""Conv1d, Conv2d and Unfold: the layers over ``functional.conv`` and ``functional.unfold``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import functional as F
from .._checks import check_tensor, fail_shape, fail_value, shape_str
from ..device import check_device
from ..dtypes import resolve_float
from ..functional.unfold import pair
from ..random import SeedLike, as_generator
from . import init
from .module import Module
from .parameter import Parameter

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd(Module):
    """What Conv1d and Conv2d share: arguments, parameters and torch's default init."""

    def __init__(
        self,
        name: str,
        in_channels: int,
        out_channels: int,
        kernel: tuple[int, ...],
        stride: Any,
        padding: Any,
        dilation: Any,
        groups: int,
        bias: bool,
        padding_mode: str,
        dtype: Any,
        generator: SeedLike,
    ) -> None:
        super().__init__()
        who = f"{name}({in_channels}, {out_channels}, kernel_size={kernel})"
        for role, count in (("in_channels", in_channels), ("out_channels", out_channels)):
            # torch builds a zero-channel conv whose forward then returns the wrong shape: refuse it
            if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
                fail_value(who, f"{role} a whole number >= 1", repr(count))
        if min(kernel) < 1:  # a window of nothing: torch fails only at the first forward
            fail_value(who, "kernel_size >= 1", str(kernel))
        if not isinstance(groups, (int, np.integer)) or groups < 1:
            fail_value(who, "groups >= 1", repr(groups))
        for role, count in (("in_channels", in_channels), ("out_channels", out_channels)):
            if count % groups:
                fail_value(who, f"{role} divisible by groups={groups}", str(count))
        if padding_mode not in PADDING_MODES:
            fail_value(who, f"padding_mode in {PADDING_MODES}", repr(padding_mode))
        if isinstance(padding, str) and padding not in ("same", "valid"):
            fail_value(who, "padding as an int, a tuple, 'valid' or 'same'", repr(padding))
        if isinstance(padding, str) and padding == "same" and np.max(stride) != 1:
            fail_value(who, "stride 1 with padding='same'", f"stride {stride}",
                       "give the padding as numbers for a strided convolution.")  # fmt: skip
        if not isinstance(padding, str) and min(padding) < 0:
            fail_value(who, "padding >= 0", str(padding))
        self.in_channels, self.out_channels, self.kernel_size = in_channels, out_channels, kernel
        self.stride, self.padding, self.dilation = stride, padding, dilation
        self.groups, self.padding_mode = groups, padding_mode
        dtype = resolve_float(dtype, name)
        self.weight = Parameter(
            np.empty((out_channels, in_channels // groups) + kernel, dtype=dtype)
        )
        self.bias = Parameter(np.empty(out_channels, dtype=dtype)) if bias else None
        self.reset_parameters(generator)

    def reset_parameters(self, generator: SeedLike = None) -> None:
        """torch's default: W ~ kaiming_uniform(a=sqrt(5)), b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
        rng = as_generator(generator)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), generator=rng)
        if self.bias is not None:
            fan_in = self.weight.shape[1] * int(np.prod(self.kernel_size))
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound, generator=rng)

    def _padded(self, x: Any) -> tuple[Any, Any]:
        """Non-zero padding modes pad first, then convolve with no padding, as torch does."""
        check_tensor(f"{type(self).__name__}({self.extra_repr()})", x)
        k = len(self.kernel_size)
        if x.ndim not in (k + 1, k + 2) or x.shape[-k - 1] != self.in_channels:
            layout = f"(N, {self.in_channels}, H, W)" if k == 2 else f"(N, {self.in_channels}, L)"
            fail_shape(
                f"{type(self).__name__}({self.extra_repr()})",
                f"inputs of shape {layout}",
                shape_str(x.shape),
                "the layer's in_channels must equal the input's channel axis."
                if x.ndim in (k + 1, k + 2)
                else None,
            )
        if self.padding_mode == "zeros" or self.padding == "valid":
            return x, self.padding
        if self.padding == "same":
            totals = [d * (n - 1) for d, n in zip(self.dilation, self.kernel_size)]
            pads = [(t // 2, t - t // 2) for t in totals]
        else:
            pads = [(p, p) for p in self.padding]
        flat = [v for a in reversed(range(k)) for v in pads[a]]  # torch's order: last axis first
        return F.pad(x, flat, mode=self.padding_mode), 0

    def extra_repr(self) -> str:
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if self.padding not in (0, (0,) * len(self.kernel_size)):
            text += f", padding={self.padding}"
        if self.dilation != (1,) * len(self.kernel_size):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


class Conv2d(_ConvNd):
    """2-D convolution (cross-correlation, as in torch) over (N, C_in, H, W) images.

    y[n, o] = b[o] + sum_c sum_{p,q} W[o, c, p, q] x[n, c, i s + p d, j s + q d];
    W has shape (out_channels, in_channels / groups, kh, kw).

    Shapes: (N, C_in, H, W) -> (N, C_out, H_out, W_out), H_out = floor((H + 2 pad - d (k - 1) - 1) / s) + 1.

    >>> import numpy as np, chainrule as cr
    >>> conv = cr.nn.Conv2d(1, 4, 3, padding=1, dtype=np.float32, generator=0)
    >>> conv(cr.zeros(2, 1, 8, 8, dtype=np.float32)).shape
    chainrule.Size([2, 4, 8, 8])
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] | str = 0,
        dilation: int | tuple[int, int] = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        check_device(device, type(self).__name__)
        who = "Conv2d"
        super().__init__(
            who,
            in_channels,
            out_channels,
            pair(kernel_size, who, "kernel_size"),
            pair(stride, who, "stride"),
            padding if isinstance(padding, str) else pair(padding, who, "padding"),
            pair(dilation, who, "dilation"),
            groups,
            bias,
            padding_mode,
            dtype,
            generator,
        )

    def forward(self, x: Any) -> Any:
        x, padding = self._padded(x)
        return F.conv2d(x, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)


class Conv1d(_ConvNd):
    """1-D convolution over (N, C_in, L) sequences; the 2-D op on images of height 1.

    Shapes: (N, C_in, L) -> (N, C_out, L_out), L_out = floor((L + 2 pad - d (k - 1) - 1) / s) + 1.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int],
        stride: int | tuple[int] = 1,
        padding: int | tuple[int] | str = 0,
        dilation: int | tuple[int] = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        check_device(device, type(self).__name__)
        one = lambda v: (int(v),) if isinstance(v, (int, np.integer)) else tuple(int(n) for n in v)
        super().__init__(
            "Conv1d",
            in_channels,
            out_channels,
            one(kernel_size),
            one(stride),
            padding if isinstance(padding, str) else one(padding),
            one(dilation),
            groups,
            bias,
            padding_mode,
            dtype,
            generator,
        )

    def forward(self, x: Any) -> Any:
        x, padding = self._padded(x)
        padding = padding if isinstance(padding, (str, int)) else padding[0]
        return F.conv1d(
            x, self.weight, self.bias, self.stride[0], padding, self.dilation[0], self.groups
        )


class Unfold(Module):
    """im2col as a layer: (N, C, H, W) -> (N, C kh kw, L), one column per patch."""

    def __init__(
        self, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1
    ) -> None:
        super().__init__()
        self.kernel_size, self.dilation, self.padding, self.stride = (
            kernel_size,
            dilation,
            padding,
            stride,
        )

    def forward(self, x: Any) -> Any:
        return F.unfold(x, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
            f"stride={self.stride}"
        )
