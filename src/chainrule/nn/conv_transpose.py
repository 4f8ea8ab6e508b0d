"""ConvTranspose1d and ConvTranspose2d: the layers over ``functional.conv_transpose``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import functional as F
from .._checks import check_tensor, fail_value
from ..device import check_device
from ..dtypes import resolve_float
from ..random import SeedLike, as_generator
from . import init
from .module import Module
from .parameter import Parameter


def _tuple(value: Any, k: int, who: str, name: str) -> tuple[int, ...]:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (int(value),) * k
    if isinstance(value, (tuple, list)) and len(value) == k:
        if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
            return tuple(int(v) for v in value)
    fail_value(who, f"{name} as an int or a tuple of {k} ints", repr(value))


class _ConvTransposeNd(Module):
    """What both layers share: arguments, the (C_in, C_out / groups, k...) weight, torch's init."""

    def __init__(
        self,
        k: int,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any,
        padding: Any,
        output_padding: Any,
        groups: int,
        bias: bool,
        dilation: Any,
        padding_mode: str,
        dtype: Any,
        generator: SeedLike,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        who = f"{name}({in_channels}, {out_channels}, kernel_size={kernel_size!r})"
        for role, count in (("in_channels", in_channels), ("out_channels", out_channels)):
            if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
                fail_value(who, f"{role} a whole number >= 1", repr(count))
        if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
            fail_value(who, "groups >= 1", repr(groups))
        for role, count in (("in_channels", in_channels), ("out_channels", out_channels)):
            if count % groups:
                fail_value(who, f"{role} divisible by groups={groups}", str(count))
        if padding_mode != "zeros":  # torch refuses the other modes for transposed convs too
            fail_value(who, "padding_mode='zeros'", repr(padding_mode))
        kernel = _tuple(kernel_size, k, who, "kernel_size")
        if min(kernel) < 1:
            fail_value(who, "kernel_size >= 1", str(kernel))
        self.in_channels, self.out_channels, self.kernel_size = in_channels, out_channels, kernel
        self.stride = _tuple(stride, k, who, "stride")
        self.padding = _tuple(padding, k, who, "padding")
        self.output_padding = _tuple(output_padding, k, who, "output_padding")
        self.dilation = _tuple(dilation, k, who, "dilation")
        self.groups, self.padding_mode = groups, padding_mode
        dtype = resolve_float(dtype, name)
        shape = (in_channels, out_channels // groups) + kernel
        self.weight = Parameter(np.empty(shape, dtype=dtype))
        self.bias = Parameter(np.empty(out_channels, dtype=dtype)) if bias else None
        self.reset_parameters(generator)

    def reset_parameters(self, generator: SeedLike = None) -> None:
        """torch's _ConvNd init; its fan_in is weight.size(1) * prod(kernel) = C_out / groups * k."""
        rng = as_generator(generator)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), generator=rng)
        if self.bias is not None:
            fan_in = self.weight.shape[1] * int(np.prod(self.kernel_size))
            bound = 1 / math.sqrt(fan_in)
            init.uniform_(self.bias, -bound, bound, generator=rng)

    def forward(self, input: Any, output_size: Any = None) -> Any:  # noqa: A002
        check_tensor(f"{type(self).__name__}({self.extra_repr()})", input)
        extra = self._output_padding(input, output_size)
        transposed = F.conv_transpose2d if len(self.stride) == 2 else F.conv_transpose1d
        return transposed(
            input, self.weight, self.bias, self.stride, self.padding, extra, self.groups,
            self.dilation,
        )  # fmt: skip

    def _output_padding(self, x: Any, output_size: Any) -> tuple[int, ...]:
        """torch's rule: output_size picks the output_padding, within one stride of the minimum."""
        k = len(self.kernel_size)
        if output_size is None:
            return self.output_padding
        size = [int(v) for v in output_size]
        if len(size) == k + 2 or (len(size) == k + 1 and x.ndim == k + 1):
            size = size[-k:]
        who = f"{type(self).__name__}.forward(output_size={list(output_size)})"
        if len(size) != k:
            fail_value(who, f"output_size of {k} (or {k + 2}) elements", str(len(size)))
        extra = []
        for a in range(k):
            least = (
                (x.shape[x.ndim - k + a] - 1) * self.stride[a]
                - 2 * self.padding[a]
                + self.dilation[a] * (self.kernel_size[a] - 1)
                + 1
            )
            if not least <= size[a] < least + self.stride[a]:
                fail_value(
                    who,
                    f"sizes between {least} and {least + self.stride[a] - 1} on axis {a}",
                    str(size[a]),
                )
            extra.append(size[a] - least)
        return tuple(extra)

    def extra_repr(self) -> str:
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        k = len(self.kernel_size)
        if self.padding != (0,) * k:
            text += f", padding={self.padding}"
        if self.output_padding != (0,) * k:
            text += f", output_padding={self.output_padding}"
        if self.dilation != (1,) * k:
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        return text


class ConvTranspose2d(_ConvTransposeNd):
    """The transposed 2-D convolution (a learned upsampling): the gradient of Conv2d w.r.t. x.

    Shapes: (N, C_in, H, W) -> (N, C_out, H_out, W_out),
    H_out = (H - 1) stride - 2 padding + dilation (kh - 1) + output_padding + 1.

    >>> import numpy as np, chainrule as cr
    >>> up = cr.nn.ConvTranspose2d(4, 2, 2, stride=2, generator=0)
    >>> up(cr.zeros(1, 4, 5, 5)).shape
    chainrule.Size([1, 2, 10, 10])
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        output_padding: int | tuple[int, int] = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: int | tuple[int, int] = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        check_device(device, type(self).__name__)
        super().__init__(
            2, in_channels, out_channels, kernel_size, stride, padding, output_padding,
            groups, bias, dilation, padding_mode, dtype, generator,
        )  # fmt: skip


class ConvTranspose1d(_ConvTransposeNd):
    """The transposed 1-D convolution over (N, C_in, L); the 2-D one on images of height 1.

    Shapes: (N, C_in, L) -> (N, C_out, L_out),
    L_out = (L - 1) stride - 2 padding + dilation (k - 1) + output_padding + 1.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int],
        stride: int | tuple[int] = 1,
        padding: int | tuple[int] = 0,
        output_padding: int | tuple[int] = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: int | tuple[int] = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        check_device(device, type(self).__name__)
        super().__init__(
            1, in_channels, out_channels, kernel_size, stride, padding, output_padding,
            groups, bias, dilation, padding_mode, dtype, generator,
        )  # fmt: skip
