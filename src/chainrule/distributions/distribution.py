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

_validate_default = True  # torch's default (``__debug__``)


class Distribution:
    """Subclasses set ``arg_constraints`` ({name: check}) and ``support``; see constraints below."""

    arg_constraints: dict[str, str] = {}
    support: str | None = None
    has_rsample = False

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
                if name not in self.__dict__:  # probs or logits, whichever was not given
                    continue
                value = getattr(self, name)
                if not _satisfied(constraint, value, self):
                    raise ArgumentError(
                        message(
                            type(self).__name__,
                            f"parameter {name} to satisfy {constraint}",
                            f"invalid values {value}",
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
        if self.support is not None and not _satisfied(self.support, value, self):
            raise ValueError(
                message(
                    f"{type(self).__name__}.log_prob",
                    f"a value within the support ({self.support})",
                    f"invalid values {value}",
                )
            )

    def __repr__(self) -> str:
        params = ", ".join(
            f"{name}: {getattr(self, name).size()}"
            for name in self.arg_constraints
            if name in self.__dict__
        )
        return f"{type(self).__name__}({params})"


def _satisfied(constraint: str, value: Any, dist: Any) -> bool:
    """torch's constraints, by name (the ones these distributions use)."""
    data = np.asarray(value.detach().numpy() if isinstance(value, Tensor) else value)
    with np.errstate(invalid="ignore"):
        if constraint == "real":
            ok = data == data  # NaN is the one real-valued thing outside the reals
        elif constraint == "positive":
            ok = data > 0
        elif constraint == "unit_interval":
            ok = (data >= 0) & (data <= 1)
        elif constraint == "boolean":
            ok = (data == 0) | (data == 1)
        elif constraint == "simplex":
            ok = np.all(data >= 0, axis=-1) & (np.abs(data.sum(-1) - 1) < 1e-6)
        elif constraint == "integer_interval":
            ok = (data % 1 == 0) & (data >= 0) & (data <= dist._num_events - 1)
        elif constraint == "real_vector":
            ok = np.all(data == data, axis=-1)
        elif constraint == "positive_definite":
            symmetric = np.allclose(data, np.swapaxes(data, -1, -2), atol=1e-6)
            ok = symmetric and bool(np.all(np.linalg.eigvalsh(data) > 0))
        elif constraint == "lower_cholesky":
            diagonal = np.diagonal(data, axis1=-2, axis2=-1)
            ok = bool(np.all(np.triu(data, 1) == 0)) and bool(np.all(diagonal > 0))
        elif constraint == "interval":
            low, high = (np.asarray(t.detach().numpy()) for t in (dist.low, dist.high))
            ok = (low <= data) & (data < high)
        else:  # pragma: no cover - a subclass named a constraint this file lacks
            raise KeyError(constraint)
    return bool(np.all(ok))


def broadcast_all(*values: Any) -> list[Tensor]:
    """torch's broadcast_all: numbers become tensors of the tensors' dtype (else the default)."""
    tensors = [v for v in values if isinstance(v, Tensor)]
    for v in values:
        if not isinstance(v, (Tensor, int, float, np.ndarray)):
            raise ValueError(
                "Input arguments must all be instances of numbers.Number or torch.Tensor."
            )
    dtype = tensors[0].dtype if tensors else get_default_dtype()
    as_tensors = [v if isinstance(v, Tensor) else Tensor(np.asarray(v, dtype)) for v in values]
    shape = np.broadcast_shapes(*(tuple(t.shape) for t in as_tensors))
    return [t if tuple(t.shape) == shape else t.expand(*shape) for t in as_tensors]


def standard_normal(shape: tuple, dtype: Any) -> Tensor:
    return Tensor._wrap(as_generator(None).standard_normal(shape).astype(dtype))


def standard_uniform(shape: tuple, dtype: Any) -> Tensor:
    return Tensor._wrap(as_generator(None).random(shape).astype(dtype))
