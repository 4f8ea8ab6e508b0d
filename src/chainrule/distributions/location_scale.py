"""What Normal, Laplace, Cauchy and Gumbel share: a real-valued family shifted by ``loc`` and
stretched by a positive ``scale``, with torch's argument names, constraints and mode (loc)."""

from __future__ import annotations

from typing import Any

from ..autograd.tensor import Size, Tensor
from . import constraints
from .distribution import Distribution, broadcast_all


class LocationScale(Distribution):
    """loc + scale * Z for a fixed standard law Z; the mean is loc where Z's is 0."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(Size(self.loc.shape), (), validate_args)

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc
