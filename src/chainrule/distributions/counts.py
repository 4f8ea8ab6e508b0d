"""Poisson, Binomial, Geometric and NegativeBinomial: distributions over counts. Their draws come
from NumPy's samplers on chainrule's generator; log_prob carries gradients to the parameters."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.grad_mode import no_grad
from ..autograd.tensor import Size, Tensor
from ..nn import functional as F
from ..random import as_generator
from . import constraints
from .discrete import _one_of
from .distribution import Distribution, broadcast_all, standard_uniform
from .utils import logits_to_probs, probs_to_logits


def _numpy(value: Tensor, shape: tuple) -> np.ndarray:
    with no_grad():
        return np.broadcast_to(value.detach().numpy(), shape).astype(np.float64)


class _ProbsOrLogits(Distribution):
    """probs or logits (exactly one), the other computed on first use, as torch's lazy_property."""

    _binary = True

    def _set_probs_or_logits(self, who: str, probs: Any, logits: Any, *others: Any) -> list:
        _one_of(who, probs, logits)
        given = broadcast_all(probs if probs is not None else logits, *others)
        self.__dict__["probs" if probs is not None else "logits"] = given[0]
        return given

    def __getattr__(self, name: str) -> Any:
        if name == "probs":
            value = logits_to_probs(self.__dict__["logits"], is_binary=self._binary)
        elif name == "logits":
            value = probs_to_logits(self.__dict__["probs"], is_binary=self._binary)
        else:
            raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")
        self.__dict__[name] = value
        return value


class Poisson(Distribution):
    """rate^k e^-rate / k! over k = 0, 1, 2, ..."""

    arg_constraints = {"rate": constraints.nonnegative}
    support = constraints.nonnegative_integer

    def __init__(self, rate: Any, validate_args: bool | None = None) -> None:
        (self.rate,) = broadcast_all(rate)
        super().__init__(Size(self.rate.shape), (), validate_args)

    @property
    def mean(self) -> Tensor:
        return self.rate

    @property
    def mode(self) -> Tensor:
        return self.rate.floor()

    @property
    def variance(self) -> Tensor:
        return self.rate

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        draw = as_generator(None).poisson(_numpy(self.rate, shape))
        return Tensor._wrap(draw.astype(self.rate.dtype))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        rate, value = broadcast_all(self.rate, value)
        return value.xlogy(rate) - rate - (value + 1).lgamma()


def _bernoulli_entropy(logits: Tensor, probs: Tensor) -> Tensor:
    """binary_cross_entropy_with_logits(logits, probs), written out so that the gradient also
    reaches probs (the target), as torch's does."""
    return F.softplus(logits) - logits * probs


def _clamp_by_zero(x: Tensor) -> Tensor:
    """max(x, 0) with gradient 1/2 at 0, as torch's binomial uses."""
    return (x.clamp(min=0) + x - x.clamp(max=0)) / 2


class Binomial(_ProbsOrLogits):
    """Successes in total_count Bernoulli(probs) trials."""

    arg_constraints = {
        "total_count": constraints.nonnegative_integer,
        "probs": constraints.unit_interval,
        "logits": constraints.real,
    }
    has_enumerate_support = True
    _expand_also = ("probs", "logits")

    def __init__(
        self,
        total_count: Any = 1,
        probs: Any = None,
        logits: Any = None,
        validate_args: bool | None = None,
    ) -> None:
        param, self.total_count = self._set_probs_or_logits("Binomial", probs, logits, total_count)
        self.total_count = self.total_count.to(param.dtype)
        super().__init__(Size(param.shape), (), validate_args)

    @property
    def support(self) -> Any:
        return constraints.integer_interval(0, self.total_count)

    @property
    def mean(self) -> Tensor:
        return self.total_count * self.probs

    @property
    def mode(self) -> Tensor:
        return ((self.total_count + 1) * self.probs).floor().clamp(max=self.total_count)

    @property
    def variance(self) -> Tensor:
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        n = _numpy(self.total_count, shape).astype(np.int64)
        draw = as_generator(None).binomial(n, _numpy(self.probs, shape))
        return Tensor._wrap(draw.astype(self.probs.dtype))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        n, logits = self.total_count, self.logits
        normaliser = (
            n * _clamp_by_zero(logits) + n * (-logits.abs()).exp().log1p() - (n + 1).lgamma()
        )
        return value * logits - (value + 1).lgamma() - (n - value + 1).lgamma() - normaliser

    def enumerate_support(self, expand: bool = True) -> Tensor:
        counts = self.total_count.detach().numpy()
        top = int(counts.max()) if counts.size else 0
        if counts.size and not (counts == top).all():
            raise NotImplementedError(
                "Inhomogeneous total count not supported by `enumerate_support`."
            )
        values = Tensor._wrap(np.arange(top + 1, dtype=self.probs.dtype))
        values = values.reshape((-1,) + (1,) * len(self._batch_shape))
        return values.expand(-1, *self._batch_shape) if expand else values

    def entropy(self) -> Tensor:
        values = self.enumerate_support(expand=False)
        log_prob = self.log_prob(values)
        return -(log_prob.exp() * log_prob).sum(0)


class Geometric(_ProbsOrLogits):
    """Failures before the first success: (1 - p)^k p over k = 0, 1, 2, ..."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.nonnegative_integer

    def __init__(
        self, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        (param,) = self._set_probs_or_logits("Geometric", probs, logits)
        super().__init__(Size(param.shape), (), validate_args)
        if self._validate_args and probs is not None and not bool((self.probs > 0).all()):
            raise ValueError(
                f"Expected parameter probs (Tensor of shape {tuple(self.probs.shape)}) of "
                f"distribution {self!r} to be positive but found invalid values:\n{self.probs}"
            )

    @property
    def mean(self) -> Tensor:
        return 1.0 / self.probs - 1.0

    @property
    def mode(self) -> Tensor:
        return self.probs.new_zeros(*self.probs.shape)

    @property
    def variance(self) -> Tensor:
        return (1.0 / self.probs - 1.0) / self.probs

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        tiny = float(np.finfo(self.probs.dtype).tiny)
        with no_grad():
            u = standard_uniform(shape, self.probs.dtype).clamp(min=tiny)
            return (u.log() / (-self.probs).log1p()).floor()

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        value, probs = broadcast_all(value, self.probs)
        # 0 failures at p = 1: 0 * log(0) is 0 here, not NaN
        probs = probs.masked_fill((probs == 1) & (value == 0), 0.0)
        return value * (-probs).log1p() + self.probs.log()

    def entropy(self) -> Tensor:
        return _bernoulli_entropy(self.logits, self.probs) / self.probs


class NegativeBinomial(_ProbsOrLogits):
    """Successes before total_count failures, each trial succeeding with probability probs."""

    arg_constraints = {
        "total_count": constraints.greater_than_eq(0),
        "probs": constraints.half_open_interval(0.0, 1.0),
        "logits": constraints.real,
    }
    support = constraints.nonnegative_integer
    _expand_also = ("probs", "logits")

    def __init__(
        self,
        total_count: Any,
        probs: Any = None,
        logits: Any = None,
        validate_args: bool | None = None,
    ) -> None:
        param, self.total_count = self._set_probs_or_logits(
            "NegativeBinomial", probs, logits, total_count
        )
        self.total_count = self.total_count.to(param.dtype)
        super().__init__(Size(param.shape), (), validate_args)

    @property
    def mean(self) -> Tensor:
        return self.total_count * self.logits.exp()

    @property
    def mode(self) -> Tensor:
        return ((self.total_count - 1) * self.logits.exp()).floor().clamp(min=0.0)

    @property
    def variance(self) -> Tensor:
        return self.mean / (-self.logits).sigmoid()

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """Gamma-Poisson: rate ~ Gamma(total_count, exp(-logits)), then Poisson(rate)."""
        shape = self._extended_shape(sample_shape)
        generator = as_generator(None)
        n, odds = _numpy(self.total_count, shape), np.exp(_numpy(self.logits, shape))
        rate = generator.standard_gamma(n) * odds
        return Tensor._wrap(generator.poisson(rate).astype(self.logits.dtype))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        n = self.total_count
        unnormalised = n * F.logsigmoid(-self.logits) + value * F.logsigmoid(self.logits)
        normaliser = -(n + value).lgamma() + (1.0 + value).lgamma() + n.lgamma()
        normaliser = normaliser.masked_fill(n + value == 0.0, 0.0)
        return unnormalised - normaliser


__all__ = ["Binomial", "Geometric", "NegativeBinomial", "Poisson"]
