"""Distribution: torch's base class (batch and event shapes, sample_shape, argument checks).

Parameters and log-densities are Tensors built from chainrule's ops, so ``log_prob``,
``entropy`` and ``rsample`` carry gradients (policy gradients, VAEs); ``sample`` draws from
chainrule's generator under no_grad, so its numbers are reproducible but are not torch's.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._checks import check_allocation, message
from ..autograd.grad_mode import no_grad
from ..autograd.tensor import Size, Tensor
from ..dtypes import get_default_dtype
from ..errors import ArgumentError, ShapeError
from ..random import as_generator
from . import constraints

_validate_default = True  # torch's default (``__debug__``)


class Distribution:
    """Subclasses set ``arg_constraints`` ({name: Constraint}) and ``support`` (constraints.py)."""

    arg_constraints: dict[str, Any] = {}
    support: Any = None
    has_rsample = False
    has_enumerate_support = False

    def __init__(
        self,
        batch_shape: tuple = (),
        event_shape: tuple = (),
        validate_args: bool | None = None,
    ) -> None:
        self._batch_shape, self._event_shape = Size(batch_shape), Size(event_shape)
        self._validate_args = _validate_default if validate_args is None else validate_args
        if self._validate_args:
            for name, constraint in self.arg_constraints.items():
                if constraints.is_dependent(constraint):
                    continue
                if name not in self.__dict__ and not isinstance(
                    getattr(type(self), name, None), property
                ):
                    continue  # probs or logits, whichever was not given
                value = getattr(self, name)
                if not _satisfied(constraint, value):
                    raise ArgumentError(
                        message(
                            type(self).__name__,
                            f"parameter {name} ({_described(value)}) of distribution {self!r} "
                            f"to satisfy the constraint {constraint!r}",
                            f"invalid values:\n{value}",
                        )
                    )

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        global _validate_default
        if value not in (True, False):
            raise ValueError
        _validate_default = value

    @property
    def batch_shape(self) -> Size:
        return self._batch_shape

    @property
    def event_shape(self) -> Size:
        return self._event_shape

    @property
    def stddev(self) -> Tensor:
        return self.variance.sqrt()

    @property
    def mean(self) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} has no mean")

    @property
    def mode(self) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} does not implement mode")

    @property
    def variance(self) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} has no variance")

    def entropy(self) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} has no entropy")

    def cdf(self, value: Tensor) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} has no cdf")

    def icdf(self, value: Tensor) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} has no icdf")

    def perplexity(self) -> Tensor:
        return self.entropy().exp()

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """The same distribution broadcast to a larger batch_shape (parameters as views)."""
        batch = Size(tuple(batch_shape))
        new = _instance if _instance is not None else type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        old = len(self._batch_shape)
        for name in (*self.arg_constraints, *getattr(self, "_expand_also", ())):
            value = self.__dict__.get(name)
            if isinstance(value, Tensor):
                new.__dict__[name] = value.expand(*batch, *value.shape[old:])
        new._batch_shape = batch
        return new

    def _extended_shape(self, sample_shape: Any = ()) -> tuple:
        shape = tuple(sample_shape) + tuple(self._batch_shape) + tuple(self._event_shape)
        if any(isinstance(n, (int, np.integer)) and n < 0 for n in shape):
            raise ShapeError(
                message(
                    f"{type(self).__name__}.sample",
                    "a sample_shape of sizes >= 0",
                    f"{tuple(sample_shape)}",
                )  # fmt: skip
            )
        check_allocation(f"{type(self).__name__}.sample", math.prod(shape), 8, f"shape {shape}")
        return shape

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """A draw without gradient: rsample under no_grad where there is one."""
        with no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        raise NotImplementedError(
            message(
                f"{type(self).__name__}.rsample",
                "a distribution with a reparameterized sample",
                f"{type(self).__name__}",
                "use .sample() (no gradient through the draw) and log_prob for REINFORCE.",
            )
        )

    def sample_n(self, n: int) -> Tensor:
        return self.sample((n,))

    def _validate_sample(self, value: Any) -> None:
        if not isinstance(value, Tensor):
            raise ValueError("The value argument to log_prob must be a Tensor")
        event_dims = len(self._event_shape)
        if tuple(value.shape[value.dim() - event_dims :]) != tuple(self._event_shape):
            raise ValueError(
                message(
                    f"{type(self).__name__}.log_prob",
                    f"a value whose rightmost dims are the event shape {tuple(self._event_shape)}",
                    f"shape {tuple(value.shape)}",
                )
            )
        try:
            np.broadcast_shapes(tuple(value.shape), self._extended_shape())
        except ValueError:
            raise ValueError(
                message(
                    f"{type(self).__name__}.log_prob",
                    f"a value that broadcasts with shape {self._extended_shape()}",
                    f"shape {tuple(value.shape)}",
                )
            ) from None
        support = self.support
        if support is not None and not _satisfied(support, value):
            raise ValueError(
                message(
                    f"{type(self).__name__}.log_prob",
                    f"a value argument ({_described(value)}) within the support ({support!r}) "
                    f"of the distribution {self!r}",
                    f"invalid values:\n{value}",
                )
            )

    def __repr__(self) -> str:
        params = ", ".join(
            f"{name}: {_param_repr(self.__dict__[name])}"
            for name in self.arg_constraints
            if isinstance(self.__dict__.get(name), Tensor)
        )
        return f"{type(self).__name__}({params})"


def _described(value: Any) -> str:
    return f"{type(value).__name__} of shape {tuple(getattr(value, 'shape', ()))}"


def _param_repr(value: Tensor) -> Any:
    return value.item() if value.numel() == 1 else value.size()


def _satisfied(constraint: Any, value: Any) -> bool:
    return bool(constraint.check(value).numpy().all())


def broadcast_all(*values: Any) -> list[Tensor]:
    """torch's broadcast_all: numbers become tensors of the tensors' dtype (else the default)."""
    tensors = [v for v in values if isinstance(v, Tensor)]
    for v in values:
        if not isinstance(v, (Tensor, int, float, np.ndarray)):
            raise ValueError(
                "Input arguments must all be instances of numbers.Number or torch.Tensor."
            )
    dtype = tensors[0].dtype if tensors else get_default_dtype()
    as_tensors = [v if isinstance(v, Tensor) else Tensor._of(np.asarray(v, dtype)) for v in values]
    shape = np.broadcast_shapes(*(tuple(t.shape) for t in as_tensors))
    return [t if tuple(t.shape) == shape else t.expand(*shape) for t in as_tensors]


def standard_normal(shape: tuple, dtype: Any) -> Tensor:
    return Tensor._wrap(as_generator(None).standard_normal(shape).astype(dtype))


def standard_uniform(shape: tuple, dtype: Any) -> Tensor:
    return Tensor._wrap(as_generator(None).random(shape).astype(dtype))
