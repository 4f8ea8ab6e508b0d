"""Independent: a batch of distributions read as one event (a diagonal Gaussian over D dims is
``Independent(Normal(mu, sigma), 1)``, whose log_prob sums the D dims)."""

from __future__ import annotations

from typing import Any

from .._checks import message
from ..autograd.tensor import Tensor
from ..errors import ArgumentError
from . import constraints
from .distribution import Distribution


class Independent(Distribution):
    def __init__(
        self,
        base_distribution: Distribution,
        reinterpreted_batch_ndims: int,
        validate_args: bool | None = None,
    ) -> None:
        batch = tuple(base_distribution.batch_shape)
        n = reinterpreted_batch_ndims
        if n > len(batch):
            raise ArgumentError(
                message(
                    "Independent",
                    f"reinterpreted_batch_ndims <= len(base_distribution.batch_shape) = {len(batch)}",
                    str(n),
                )
            )
        self.base_dist, self.reinterpreted_batch_ndims = base_distribution, n
        cut = len(batch) - n
        event = batch[cut:] + tuple(base_distribution.event_shape)
        super().__init__(batch[:cut], event, validate_args)
        self.support = constraints.independent(base_distribution.support, n)
        self.has_rsample = base_distribution.has_rsample

    def expand(self, batch_shape: Any, _instance: Any = None) -> Independent:
        new = super().expand(batch_shape, _instance)
        n = self.reinterpreted_batch_ndims
        base = tuple(self.base_dist.batch_shape)
        new.base_dist = self.base_dist.expand(tuple(batch_shape) + base[len(base) - n :])
        return new

    def _validate_sample(self, value: Any) -> None:
        self.base_dist._validate_sample(value)

    def _sum_rightmost(self, value: Tensor) -> Tensor:
        n = self.reinterpreted_batch_ndims
        return value if n == 0 else value.reshape(*value.shape[: value.dim() - n], -1).sum(-1)

    @property
    def mean(self) -> Tensor:
        return self.base_dist.mean

    @property
    def variance(self) -> Tensor:
        return self.base_dist.variance

    @property
    def mode(self) -> Tensor:
        return self.base_dist.mode

    def sample(self, sample_shape: Any = ()) -> Tensor:
        return self.base_dist.sample(sample_shape)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        return self.base_dist.rsample(sample_shape)

    def log_prob(self, value: Tensor) -> Tensor:
        return self._sum_rightmost(self.base_dist.log_prob(value))

    def entropy(self) -> Tensor:
        return self._sum_rightmost(self.base_dist.entropy())

    def __repr__(self) -> str:
        return f"Independent({self.base_dist!r}, {self.reinterpreted_batch_ndims})"
