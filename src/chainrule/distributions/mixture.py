"""MixtureSameFamily: a Categorical choice among K components of one family, the rightmost batch
dim of component_distribution (a mixture density network's output layer).
log p(x) = logsumexp_k(log pi_k + log p_k(x)), so gradients reach the weights and each component."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.grad_mode import no_grad
from ..autograd.tensor import Size, Tensor
from .discrete import Categorical
from .distribution import Distribution


class MixtureSameFamily(Distribution):
    arg_constraints: dict = {}
    has_rsample = False

    def __init__(
        self,
        mixture_distribution: Categorical,
        component_distribution: Distribution,
        validate_args: bool | None = None,
    ) -> None:
        if not isinstance(mixture_distribution, Categorical):
            raise ValueError(
                " The Mixture distribution needs to be an  instance of torch.distributions.Categorical"
            )
        if not isinstance(component_distribution, Distribution):
            raise ValueError(
                "The Component distribution need to be an instance of torch.distributions.Distribution"
            )
        mix_batch = tuple(mixture_distribution.batch_shape)
        comp_batch = tuple(component_distribution.batch_shape)
        if len(comp_batch) < 1:
            raise ValueError("`component_distribution` must have at least one batch dimension")
        batch = comp_batch[:-1]
        for a, b in zip(reversed(mix_batch), reversed(batch)):
            if a != 1 and b != 1 and a != b:
                raise ValueError(
                    f"`mixture_distribution.batch_shape` ({mix_batch}) is not compatible with "
                    f"`component_distribution.batch_shape`({comp_batch})"
                )
        k = mixture_distribution.param_shape[-1]
        if k != comp_batch[-1]:
            raise ValueError(
                f"`mixture_distribution component` ({k}) does not equal "
                f"`component_distribution.batch_shape[-1]` ({comp_batch[-1]})"
            )
        self._mixture_distribution = mixture_distribution
        self._component_distribution = component_distribution
        self._num_component = k
        self._event_ndims = len(component_distribution.event_shape)
        super().__init__(Size(batch), component_distribution.event_shape, validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> MixtureSameFamily:
        new = super().expand(batch_shape, _instance)
        batch = tuple(batch_shape)
        new._component_distribution = self._component_distribution.expand(
            batch + (self._num_component,)
        )
        new._mixture_distribution = self._mixture_distribution.expand(batch)
        return new

    @property
    def support(self) -> Any:
        return self._component_distribution.support

    mixture_distribution = property(lambda self: self._mixture_distribution)
    component_distribution = property(lambda self: self._component_distribution)

    def _pad(self, x: Tensor) -> Tensor:
        return x.unsqueeze(-1 - self._event_ndims)

    def _pad_mixture_dimensions(self, x: Tensor) -> Tensor:
        dist_batch = len(self._batch_shape)
        cat_batch = len(self._mixture_distribution.batch_shape)
        pad = 0 if cat_batch == 1 else dist_batch - cat_batch
        shape = tuple(x.shape)
        return x.reshape(*shape[:-1], *([1] * pad), shape[-1], *([1] * self._event_ndims))

    @property
    def mean(self) -> Tensor:
        probs = self._pad_mixture_dimensions(self._mixture_distribution.probs)
        return (probs * self._component_distribution.mean).sum(-1 - self._event_ndims)

    @property
    def variance(self) -> Tensor:
        """E[Var(Y | X)] + Var(E[Y | X]), the law of total variance."""
        probs = self._pad_mixture_dimensions(self._mixture_distribution.probs)
        components = self._component_distribution
        dim = -1 - self._event_ndims
        within = (probs * components.variance).sum(dim)
        between = (probs * (components.mean - self._pad(self.mean)).pow(2.0)).sum(dim)
        return within + between

    def cdf(self, x: Tensor) -> Tensor:
        cdf_x = self._component_distribution.cdf(self._pad(x))
        return (cdf_x * self._mixture_distribution.probs).sum(-1)

    def log_prob(self, x: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(x)
        log_prob_x = self._component_distribution.log_prob(self._pad(x))
        log_mix = self._mixture_distribution.logits.log_softmax(-1)
        return (log_prob_x + log_mix).logsumexp(-1)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        with no_grad():
            gather_dim = len(tuple(sample_shape)) + len(self._batch_shape)
            choice = self._mixture_distribution.sample(sample_shape).numpy()
            components = self._component_distribution.sample(sample_shape).numpy()
            index = choice.reshape(choice.shape + (1,) * (self._event_ndims + 1))
            index = np.broadcast_to(index, choice.shape + (1,) + components.shape[gather_dim + 1 :])
            return Tensor._wrap(
                np.take_along_axis(components, index, gather_dim).squeeze(gather_dim)
            )

    def __repr__(self) -> str:
        return (
            f"MixtureSameFamily(\n  {self._mixture_distribution},\n"
            f"  {self._component_distribution})"
        )


__all__ = ["MixtureSameFamily"]
