"""FractionalMaxPool2d: the layer over ``functional.fractional_max_pool2d``."""

from __future__ import annotations

from typing import Any

from .._checks import fail_value
from ..functional.fractional_pool import _pair, fractional_max_pool2d
from .module import Module


class FractionalMaxPoolNd(Module):
    """The 2-D and 3-D layers' shared arguments (not a torch class: each of torch's stands alone)."""

    _sizes: Any  # one size per pooled axis, from an int or a tuple
    _pool: Any

    def __init__(
        self,
        kernel_size: Any,
        output_size: Any = None,
        output_ratio: Any = None,
        return_indices: bool = False,
        _random_samples: Any = None,
    ) -> None:
        super().__init__()
        who = type(self).__name__
        self.kernel_size = self._sizes(kernel_size)
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)
        self.output_size = self._sizes(output_size) if output_size is not None else None
        self.output_ratio = self._sizes(output_ratio) if output_ratio is not None else None
        if output_size is None and output_ratio is None:
            fail_value(who, "an output size or a pooling ratio", "neither")
        if output_size is not None and output_ratio is not None:
            fail_value(who, "only one of output_size and output_ratio", "both")
        if self.output_ratio is not None and not all(0 < r < 1 for r in self.output_ratio):
            fail_value(who, "output_ratio between 0 and 1", repr(output_ratio))

    def forward(self, input: Any) -> Any:  # noqa: A002
        return self._pool(
            input, self.kernel_size, self.output_size, self.output_ratio, self.return_indices,
            _random_samples=self._random_samples,
        )  # fmt: skip


class FractionalMaxPool2d(FractionalMaxPoolNd):
    """torch.nn.FractionalMaxPool2d: give output_size or output_ratio (each in (0, 1)).
    ``_random_samples`` (N, C, 2) fixes the windows (tests, replays); left None, each call
    draws new ones from the default generator, as torch does.

    >>> import chainrule as cr
    >>> cr.nn.FractionalMaxPool2d(2, output_ratio=0.5)(cr.randn(1, 3, 8, 8)).shape
    chainrule.Size([1, 3, 4, 4])
    """

    _sizes = staticmethod(_pair)
    _pool = staticmethod(fractional_max_pool2d)
