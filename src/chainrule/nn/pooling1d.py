"""MaxPool1d, AvgPool1d and AdaptiveAvgPool1d: the layers over ``functional.pooling1d``."""

from __future__ import annotations

from typing import Any

from ..functional.pooling1d import adaptive_avg_pool1d, avg_pool1d, max_pool1d
from .module import Module


class MaxPool1d(Module):
    """The maximum of each window along L; ``stride`` defaults to ``kernel_size``, as in torch.

    Shapes: (N, C, L) -> (N, C, L_out).

    >>> import chainrule as cr
    >>> cr.nn.MaxPool1d(2)(cr.zeros(1, 3, 8)).shape
    chainrule.Size([1, 3, 4])
    """

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        dilation: Any = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self.kernel_size, self.stride = kernel_size, kernel_size if stride is None else stride
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, x: Any) -> Any:
        return max_pool1d(
            x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
            self.return_indices,
        )  # fmt: skip

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class AvgPool1d(Module):
    """The mean of each window along L; padding counts toward the mean unless told otherwise."""

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        super().__init__()
        self.kernel_size, self.stride = kernel_size, kernel_size if stride is None else stride
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad = count_include_pad

    def forward(self, x: Any) -> Any:
        return avg_pool1d(
            x, self.kernel_size, self.stride, self.padding, self.ceil_mode,
            self.count_include_pad,
        )  # fmt: skip

    def extra_repr(self) -> str:
        single = [v if isinstance(v, tuple) else (v,) for v in (self.kernel_size, self.stride)]
        padding = self.padding if isinstance(self.padding, tuple) else (self.padding,)
        return f"kernel_size={single[0]}, stride={single[1]}, padding={padding}"  # torch's 1-tuples


class AdaptiveAvgPool1d(Module):
    """Average along L into a fixed output length whatever the input length."""

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, x: Any) -> Any:
        return adaptive_avg_pool1d(x, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"
