"""Categorical and Bernoulli, from ``probs`` or ``logits`` (exactly one), each computing the other
on first use as torch does: log_prob and entropy carry gradients to the given parameter, which is
what a policy-gradient loss (-log_prob * advantage) needs."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import message
from ..autograd.grad_mode import no_grad
from ..autograd.tensor import Size, Tensor
from ..errors import ArgumentError
from ..nn import functional as F
from . import constraints
from .distribution import Distribution, broadcast_all, standard_uniform


def _one_of(who: str, probs: Any, logits: Any) -> None:
    if (probs is None) == (logits is None):
        raise ValueError(
            message(
                who,
                "either `probs` or `logits` specified, but not both",
                "both" if probs is not None else "neither",
            )
        )


def _clamped(probs: Tensor) -> Tensor:
    """torch's clamp_probs: keep log() finite at probabilities 0 and 1."""
    eps = float(np.finfo(probs.dtype).eps)
    return probs.clamp(min=eps, max=1 - eps)


class Categorical(Distribution):
    """One of K categories per batch entry: probs over the last dim (normalised to sum to 1)."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    has_enumerate_support = True

    @property
    def support(self) -> Any:
        return constraints.integer_interval(0, self._num_events - 1)

    def __init__(
        self, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        _one_of("Categorical", probs, logits)
        given = probs if probs is not None else logits
        if not isinstance(given, Tensor) or given.dim() < 1:
            raise ArgumentError(
                message(
                    "Categorical",
                    f"{'probs' if probs is not None else 'logits'} a Tensor with at least one dim",
                    repr(given),
                )
            )
        if probs is not None:
            self.probs = probs / probs.sum(-1, keepdim=True)
        else:
            self.logits = logits - logits.logsumexp(dim=-1, keepdim=True)
        self._num_events = given.shape[-1]
        super().__init__(Size(given.shape[:-1]), (), validate_args)

    def __getattr__(self, name: str) -> Any:
        if name == "probs":
            value = F.softmax(self.__dict__["logits"], dim=-1)
        elif name == "logits":
            value = _clamped(self.__dict__["probs"]).log()
        else:
            raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")
        self.__dict__[name] = value
        return value

    @property
    def param_shape(self) -> Size:
        return Size(tuple(self._batch_shape) + (self._num_events,))

    @property
    def mean(self) -> Tensor:
        return Tensor._wrap(np.full(tuple(self._batch_shape), np.nan, self.probs.dtype))

    variance = mean

    @property
    def mode(self) -> Tensor:
        return self.probs.argmax(dim=-1)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """Category indices (int64) drawn from chainrule's generator."""
        shape = self._extended_shape(sample_shape)  # checked: sizes >= 0, fits in memory
        with no_grad():
            cumulative = self.probs.detach().numpy().cumsum(-1)
        u = standard_uniform(shape, cumulative.dtype).numpy()[..., None]
        cumulative = np.broadcast_to(cumulative, shape + (self._num_events,))
        index = (u >= cumulative[..., :-1]).sum(-1) if self._num_events > 1 else np.zeros(shape)
        return Tensor._wrap(index.astype(np.int64))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        index = value.long().unsqueeze(-1)
        shape = np.broadcast_shapes(tuple(index.shape), tuple(self.logits.shape))
        index = index.expand(*shape[:-1], 1)
        return self.logits.expand(*shape).gather(-1, index).squeeze(-1)

    def entropy(self) -> Tensor:
        smallest = float(np.finfo(self.logits.dtype).min)
        return -(self.logits.clamp(min=smallest) * self.probs).sum(-1)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        values = Tensor._wrap(np.arange(self._num_events, dtype=np.int64))
        values = values.reshape((-1,) + (1,) * len(self._batch_shape))
        return values.expand(-1, *self._batch_shape) if expand else values


class Bernoulli(Distribution):
    """1 with probability probs (or sigmoid(logits)), else 0."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True

    def __init__(
        self, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        _one_of("Bernoulli", probs, logits)
        if probs is not None:
            (self.probs,) = broadcast_all(probs)
            shape = self.probs.shape
        else:
            (self.logits,) = broadcast_all(logits)
            shape = self.logits.shape
        super().__init__(Size(shape), (), validate_args)

    def __getattr__(self, name: str) -> Any:
        if name == "probs":
            value = self.__dict__["logits"].sigmoid()
        elif name == "logits":
            probs = _clamped(self.__dict__["probs"])
            value = probs.log() - (-probs).log1p()
        else:
            raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")
        self.__dict__[name] = value
        return value

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)

    @property
    def mode(self) -> Tensor:
        mode = (self.probs >= 0.5).to(self.probs.dtype)
        return mode.masked_fill(self.probs == 0.5, float("nan"))

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        probs = self.probs.detach().numpy()
        u = standard_uniform(shape, probs.dtype).numpy()
        return Tensor._wrap((u < probs).astype(probs.dtype))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        return -F.binary_cross_entropy_with_logits(logits, value, reduction="none")

    def entropy(self) -> Tensor:
        # softplus(l) - l p is binary_cross_entropy_with_logits(l, p), whose gradient must
        # also reach p (the target) here
        return F.softplus(self.logits) - self.logits * self.probs

    def enumerate_support(self, expand: bool = True) -> Tensor:
        values = Tensor._wrap(np.arange(2, dtype=self.probs.dtype))
        values = values.reshape((-1,) + (1,) * len(self._batch_shape))
        return values.expand(-1, *self._batch_shape) if expand else values
