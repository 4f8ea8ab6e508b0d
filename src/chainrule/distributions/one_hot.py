"""OneHotCategorical and Multinomial: Categorical's K-way choice as a one-hot vector, and the
counts of total_count such choices. Both hold a Categorical, as torch's do."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autograd.grad_mode import no_grad
from ..autograd.tensor import Tensor
from . import constraints
from .discrete import Categorical
from .distribution import Distribution, broadcast_all


def _one_hot(index: np.ndarray, k: int, dtype: Any) -> np.ndarray:
    return (index[..., None] == np.arange(k)).astype(dtype)


class _OverCategorical(Distribution):
    """A law held as a Categorical over the last dim of probs or logits, as torch holds it."""

    def _hold(self, probs: Any, logits: Any, validate_args: bool | None) -> None:
        self._categorical = Categorical(probs, logits, validate_args=validate_args)
        param_shape = tuple(self._categorical.param_shape)
        super().__init__(param_shape[:-1], param_shape[-1:], validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Any:
        new = super().expand(batch_shape, _instance)
        new._categorical = self._categorical.expand(batch_shape)
        return new

    probs = property(lambda self: self._categorical.probs)
    logits = property(lambda self: self._categorical.logits)
    param_shape = property(lambda self: self._categorical.param_shape)


class OneHotCategorical(_OverCategorical):
    """A one-hot vector of length K: event_shape (K,), log_prob that of the index it marks."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.one_hot
    has_enumerate_support = True

    def __init__(
        self, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        self._hold(probs, logits, validate_args)

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def mode(self) -> Tensor:
        probs = self.probs
        return Tensor._wrap(_one_hot(probs.argmax(-1).numpy(), probs.shape[-1], probs.dtype))

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        index = self._categorical.sample(sample_shape).numpy()
        return Tensor._wrap(_one_hot(index, self._event_shape[0], self.probs.dtype))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return self._categorical.log_prob(value.argmax(-1))

    def entropy(self) -> Tensor:
        return self._categorical.entropy()

    def enumerate_support(self, expand: bool = True) -> Tensor:
        k = self._event_shape[0]
        values = Tensor._wrap(np.eye(k, dtype=self.probs.dtype))
        values = values.reshape((k,) + (1,) * len(self._batch_shape) + (k,))
        return values.expand(k, *self._batch_shape, k) if expand else values


class OneHotCategoricalStraightThrough(OneHotCategorical):
    """A one-hot draw whose gradient is that of probs (the straight-through estimator)."""

    has_rsample = True

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        draw = self.sample(sample_shape)
        probs = self.probs
        return draw + (probs - probs.detach())


class Multinomial(_OverCategorical):
    """Counts over K categories from total_count independent Categorical(probs) draws."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}

    def __init__(
        self,
        total_count: int = 1,
        probs: Any = None,
        logits: Any = None,
        validate_args: bool | None = None,
    ) -> None:
        if not isinstance(total_count, (int, np.integer)):
            raise NotImplementedError("inhomogeneous total_count is not supported")
        self.total_count = int(total_count)
        self._hold(probs, logits, validate_args)

    @property
    def support(self) -> Any:
        return constraints.multinomial(self.total_count)

    @property
    def mean(self) -> Tensor:
        return self.probs * self.total_count

    @property
    def variance(self) -> Tensor:
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        with no_grad():
            probs = np.broadcast_to(self.probs.detach().numpy().astype(np.float64), shape)
        probs = probs / probs.sum(-1, keepdims=True)  # NumPy insists on an exact simplex
        from ..random import as_generator

        draw = as_generator(None).multinomial(self.total_count, probs)
        return Tensor._wrap(draw.astype(self.probs.dtype))

    def entropy(self) -> Tensor:
        """n H(Categorical) - log n! + sum_k E[log x_k!], x_k ~ Binomial(n, p_k), as torch sums it."""
        from .counts import Binomial

        n = self.total_count
        counts = Binomial(n, probs=self.probs, validate_args=False)
        support = Tensor._wrap(np.arange(1, n + 1, dtype=self.probs.dtype))
        support = support.reshape((n,) + (1,) * self.probs.dim())
        weights = (support + 1).lgamma()
        term2 = (counts.log_prob(support).exp() * weights).sum(0).sum(-1)
        return n * self._categorical.entropy() - math.lgamma(n + 1) + term2

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        # a zero count of an impossible category contributes 0, not 0 * -inf
        logits = logits.masked_fill((value == 0) & (logits == float("-inf")), 0.0)
        log_factorial_n = (value.sum(-1) + 1).lgamma()
        log_factorial_xs = (value + 1).lgamma().sum(-1)
        return log_factorial_n - log_factorial_xs + (logits * value).sum(-1)


__all__ = ["Multinomial", "OneHotCategorical", "OneHotCategoricalStraightThrough"]
