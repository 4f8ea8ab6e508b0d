"""GroupNorm: normalise groups of channels per sample, then scale and shift each channel."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_positive_number, fail_value
from ..device import check_device
from ..dtypes import resolve_float
from ..functional.group_norm import group_norm
from .module import Module
from .parameter import Parameter


class GroupNorm(Module):
    """torch.nn.GroupNorm: independent of the batch size, so it behaves the same in train and eval.

    Shapes: (N, C, *) -> (N, C, *); weight (ones) and bias (zeros) of shape (C,) when affine.

    >>> import chainrule as cr
    >>> cr.nn.GroupNorm(2, 4)(cr.randn(3, 4, 5)).shape
    chainrule.Size([3, 4, 5])
    """

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        who = f"GroupNorm({num_groups!r}, {num_channels!r})"
        check_device(device, "GroupNorm")
        check_positive_number(who, "eps", eps)
        if (
            isinstance(num_groups, bool)
            or not isinstance(num_groups, (int, np.integer))
            or num_groups < 1
            or num_channels % num_groups
        ):
            fail_value(who, "num_channels divisible by num_groups >= 1", repr(num_groups))
        dtype = resolve_float(dtype, "GroupNorm")
        self.num_groups, self.num_channels, self.eps, self.affine = (
            num_groups, num_channels, eps, affine,
        )  # fmt: skip
        self.weight = Parameter(np.ones(num_channels, dtype=dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_channels, dtype=dtype)) if affine else None

    def forward(self, x: Any) -> Any:
        return group_norm(x, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
            f"bias={self.bias is not None}"
        )
