"""Dropout and Dropout2d: active in train mode, the identity in eval mode."""

from __future__ import annotations

from typing import Any

from .. import functional as F
from .._checks import check_probability
from ..random import SeedLike, as_generator
from .module import Module


class Dropout(Module):
    """Zero each element with probability p while training; masks come from ``generator``."""

    def __init__(self, p: float = 0.5, inplace: bool = False, generator: SeedLike = None) -> None:
        super().__init__()
        self.inplace = inplace  # accepted for torch's signature; the mask is applied out of place
        check_probability("Dropout", "p", p)
        self.p = p
        self.generator = (
            None if generator is None else as_generator(generator)
        )  # None: default, per call

    def forward(self, x: Any) -> Any:
        return F.dropout(x, self.p, self.training, self.generator)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout2d(Dropout):
    """Zero whole channels with probability p while training (inputs (N, C, H, W) or (C, H, W))."""

    def forward(self, x: Any) -> Any:
        return F.dropout2d(x, self.p, self.training, self.generator)
