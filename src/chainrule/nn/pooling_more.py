"""torch.nn's AdaptiveMaxPool1d/2d, MaxUnpool1d/2d and LPPool1d/2d."""

from __future__ import annotations

from typing import Any

from ..functional import pooling_more as P
from .module import Module


class AdaptiveMaxPool2d(Module):
    """The maximum of each window of an output_size grid; ``return_indices`` also gives the
    flat (row * W + col) index of each, for MaxUnpool2d."""

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size, self.return_indices = output_size, return_indices

    def forward(self, x: Any) -> Any:
        return P.adaptive_max_pool2d(x, self.output_size, self.return_indices)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(AdaptiveMaxPool2d):
    """AdaptiveMaxPool2d over (N, C, L) or (C, L)."""

    def forward(self, x: Any) -> Any:
        return P.adaptive_max_pool1d(x, self.output_size, self.return_indices)


class MaxUnpool2d(Module):
    """Each value back at its max pool's index in a zero image (MaxPool's partial inverse)."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        size = self._size
        self.kernel_size = size(kernel_size)
        self.stride = self.kernel_size if stride is None else size(stride)
        self.padding = size(padding)

    @staticmethod
    def _size(value: Any) -> tuple[int, ...]:
        """torch keeps the sizes as pairs (1-tuples for MaxUnpool1d)."""
        return tuple(value) if isinstance(value, (tuple, list)) else (value, value)

    def forward(self, input: Any, indices: Any, output_size: Any = None) -> Any:  # noqa: A002
        return P.max_unpool2d(
            input, indices, self.kernel_size, self.stride, self.padding, output_size
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(MaxUnpool2d):
    """MaxUnpool2d over (N, C, L) or (C, L)."""

    @staticmethod
    def _size(value: Any) -> tuple[int, ...]:
        return tuple(value) if isinstance(value, (tuple, list)) else (value,)

    def forward(self, input: Any, indices: Any, output_size: Any = None) -> Any:  # noqa: A002
        return P.max_unpool1d(
            input, indices, self.kernel_size, self.stride, self.padding, output_size
        )


class LPPool2d(Module):
    """(sum over each window of x^p)^(1/p): between average (p = 1, summed) and max pooling."""

    def __init__(
        self, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False
    ) -> None:
        super().__init__()
        self.norm_type, self.kernel_size = norm_type, kernel_size
        self.stride, self.ceil_mode = stride, ceil_mode

    def forward(self, x: Any) -> Any:
        return P.lp_pool2d(x, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)

    def extra_repr(self) -> str:
        return (
            f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, ceil_mode={self.ceil_mode}"
        )


class LPPool1d(LPPool2d):
    """LPPool2d over (N, C, L) or (C, L)."""

    def forward(self, x: Any) -> Any:
        return P.lp_pool1d(x, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)
