"""The Concrete / Gumbel-softmax relaxations: continuous stand-ins for Bernoulli and one-hot
Categorical draws that rsample can differentiate, sharper as temperature falls to 0.

Each is a TransformedDistribution of a base on the logit (or log-simplex) scale, as torch's are:
RelaxedBernoulli = sigmoid of LogitRelaxedBernoulli, RelaxedOneHotCategorical = exp of
ExpRelaxedCategorical."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.tensor import Size, Tensor
from . import constraints
from .counts import _ProbsOrLogits
from .discrete import Categorical
from .distribution import Distribution, standard_uniform
from .transformed import TransformedDistribution
from .transforms import ExpTransform, SigmoidTransform
from .utils import clamp_probs


def _open_uniform(shape: tuple, dtype: Any) -> Tensor:
    finfo = np.finfo(dtype)
    return standard_uniform(shape, dtype).clamp(float(finfo.tiny), 1 - float(finfo.eps))


class LogitRelaxedBernoulli(_ProbsOrLogits):
    """(logits + log u - log(1 - u)) / temperature, u ~ U(0, 1): a logistic on the logit scale."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.real
    has_rsample = True

    def __init__(
        self,
        temperature: Tensor,
        probs: Any = None,
        logits: Any = None,
        validate_args: bool | None = None,
    ) -> None:
        self.temperature = temperature
        (param,) = self._set_probs_or_logits("LogitRelaxedBernoulli", probs, logits)
        super().__init__(Size(param.shape), (), validate_args)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        probs = clamp_probs(self.probs)
        u = _open_uniform(shape, probs.dtype)
        logits = probs.log() - (-probs).log1p()
        return (u.log() - (-u).log1p() + logits) / self.temperature

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        diff = self.logits - value * self.temperature
        return self.temperature.log() + diff - 2 * diff.exp().log1p()


class RelaxedBernoulli(TransformedDistribution):
    """sigmoid of a LogitRelaxedBernoulli: values in (0, 1), near 0/1 at low temperature."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(
        self,
        temperature: Tensor,
        probs: Any = None,
        logits: Any = None,
        validate_args: bool | None = None,
    ) -> None:
        base = LogitRelaxedBernoulli(temperature, probs, logits)
        super().__init__(base, SigmoidTransform(), validate_args)

    temperature = property(lambda self: self.base_dist.temperature)
    probs = property(lambda self: self.base_dist.probs)
    logits = property(lambda self: self.base_dist.logits)


class ExpRelaxedCategorical(Distribution):
    """log of a Concrete draw: log_softmax((logits + gumbel noise) / temperature)."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.real_vector
    has_rsample = True

    def __init__(
        self,
        temperature: Tensor,
        probs: Any = None,
        logits: Any = None,
        validate_args: bool | None = None,
    ) -> None:
        self._categorical = Categorical(probs, logits)
        self.temperature = temperature
        param_shape = tuple(self._categorical.param_shape)
        super().__init__(param_shape[:-1], param_shape[-1:], validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> ExpRelaxedCategorical:
        new = super().expand(batch_shape, _instance)
        new._categorical = self._categorical.expand(batch_shape)
        return new

    probs = property(lambda self: self._categorical.probs)
    logits = property(lambda self: self._categorical.logits)
    param_shape = property(lambda self: self._categorical.param_shape)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        gumbels = -(-_open_uniform(shape, self.logits.dtype).log()).log()
        scores = (self.logits + gumbels) / self.temperature
        return scores - scores.logsumexp(-1, keepdim=True)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        k = self._categorical._num_events
        t = self.temperature
        log_scale = t.new_full(tuple(t.shape), float(k)).lgamma() + t.log() * (k - 1)
        score = self.logits - value * t
        score = (score - score.logsumexp(-1, keepdim=True)).sum(-1)
        return score + log_scale


class RelaxedOneHotCategorical(TransformedDistribution):
    """exp of an ExpRelaxedCategorical: points of the simplex, near its vertices when cold."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.simplex
    has_rsample = True

    def __init__(
        self,
        temperature: Tensor,
        probs: Any = None,
        logits: Any = None,
        validate_args: bool | None = None,
    ) -> None:
        base = ExpRelaxedCategorical(temperature, probs, logits, validate_args=validate_args)
        super().__init__(base, ExpTransform(), validate_args)

    temperature = property(lambda self: self.base_dist.temperature)
    probs = property(lambda self: self.base_dist.probs)
    logits = property(lambda self: self.base_dist.logits)


__all__ = [
    "ExpRelaxedCategorical",
    "LogitRelaxedBernoulli",
    "RelaxedBernoulli",
    "RelaxedOneHotCategorical",
]
