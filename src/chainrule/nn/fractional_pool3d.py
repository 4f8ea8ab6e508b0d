"""FractionalMaxPool3d: the layer over ``functional.fractional_max_pool3d``."""

from __future__ import annotations

from typing import Any

from .._checks import fail_value
from ..functional.fractional_pool3d import _triple, fractional_max_pool3d
from .module import Module


class FractionalMaxPool3d(Module):
    """torch.nn.FractionalMaxPool3d: give output_size or output_ratio (each in (0, 1)).
    ``_random_samples`` (N, C, 3) fixes the windows; left None, each call draws new ones from
    the default generator, as torch does.

    >>> import chainrule as cr
    >>> cr.nn.FractionalMaxPool3d(2, output_ratio=0.5)(cr.randn(1, 3, 8, 8, 8)).shape
    chainrule.Size([1, 3, 4, 4, 4])
    """

    def __init__(
        self,
        kernel_size: Any,
        output_size: Any = None,
        output_ratio: Any = None,
        return_indices: bool = False,
        _random_samples: Any = None,
    ) -> None:
        super().__init__()
        who = "FractionalMaxPool3d"
        self.kernel_size = _triple(kernel_size)
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)
        self.output_size = _triple(output_size) if output_size is not None else None
        self.output_ratio = _triple(output_ratio) if output_ratio is not None else None
        if output_size is None and output_ratio is None:
            fail_value(who, "an output size or a pooling ratio", "neither")
        if output_size is not None and output_ratio is not None:
            fail_value(who, "only one of output_size and output_ratio", "both")
        if self.output_ratio is not None and not all(0 < r < 1 for r in self.output_ratio):
            fail_value(who, "output_ratio between 0 and 1", repr(output_ratio))

    def forward(self, input: Any) -> Any:  # noqa: A002
        return fractional_max_pool3d(
            input, self.kernel_size, self.output_size, self.output_ratio, self.return_indices,
            _random_samples=self._random_samples,
        )  # fmt: skip
