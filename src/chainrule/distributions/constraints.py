"""torch.distributions.constraints: the sets a parameter or a sample must lie in.

``check(value)`` returns a bool Tensor over the batch (the ``event_dim`` rightmost dims folded
into one answer each), as torch's does; distributions name these objects in ``arg_constraints``
and ``support``, and ``validate_args`` runs them on parameters and on ``log_prob``'s values."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.tensor import Tensor


def _data(value: Any) -> np.ndarray:
    return np.asarray(value.detach().numpy() if isinstance(value, Tensor) else value)


def _bound(value: Any) -> Any:
    return _data(value) if isinstance(value, Tensor) else value


def _fold(ok: np.ndarray, event_dim: int) -> Tensor:
    """All over the event dims, so one answer per batch entry."""
    for _ in range(event_dim):
        ok = ok.all(-1)
    return Tensor._wrap(np.asarray(ok, dtype=bool))


class Constraint:
    """A set of values; ``event_dim`` rightmost dims are judged together."""

    is_discrete = False
    event_dim = 0

    def check(self, value: Any) -> Tensor:
        raise NotImplementedError

    def _ok(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return type(self).__name__.lstrip("_") + "()"


class _Elementwise(Constraint):
    def check(self, value: Any) -> Tensor:
        with np.errstate(invalid="ignore"):
            return _fold(self._ok(_data(value)), self.event_dim)


class _Dependent(Constraint):
    """A placeholder whose set depends on the distribution (Uniform's support, Binomial's)."""

    def __init__(self, *, is_discrete: bool = False, event_dim: int = 0) -> None:
        self.is_discrete, self.event_dim = is_discrete, event_dim

    def __call__(self, *, is_discrete: bool = False, event_dim: int = 0) -> _Dependent:
        return _Dependent(is_discrete=is_discrete, event_dim=event_dim)

    def check(self, value: Any) -> Tensor:
        raise ValueError("Cannot determine validity of dependent constraint")


def is_dependent(constraint: Any) -> bool:
    return isinstance(constraint, _Dependent)


class _Real(_Elementwise):
    def _ok(self, x):
        return x == x  # NaN is the one float outside the reals


class _Boolean(_Elementwise):
    is_discrete = True

    def _ok(self, x):
        return (x == 0) | (x == 1)


class _OneHot(_Elementwise):
    is_discrete, event_dim = True, 1

    def _ok(self, x):
        return (((x == 0) | (x == 1)).all(-1) & (x.sum(-1) == 1))[..., None]


class _GreaterThan(_Elementwise):
    def __init__(self, lower_bound: Any) -> None:
        self.lower_bound = lower_bound

    def _ok(self, x):
        return x > _bound(self.lower_bound)

    def __repr__(self) -> str:
        return f"{type(self).__name__.lstrip('_')}(lower_bound={self.lower_bound})"


class _GreaterThanEq(_GreaterThan):
    def _ok(self, x):
        return x >= _bound(self.lower_bound)


class _LessThan(_Elementwise):
    def __init__(self, upper_bound: Any) -> None:
        self.upper_bound = upper_bound

    def _ok(self, x):
        return x < _bound(self.upper_bound)

    def __repr__(self) -> str:
        return f"LessThan(upper_bound={self.upper_bound})"


class _Interval(_Elementwise):
    def __init__(self, lower_bound: Any, upper_bound: Any) -> None:
        self.lower_bound, self.upper_bound = lower_bound, upper_bound

    def _ok(self, x):
        return (_bound(self.lower_bound) <= x) & (x <= _bound(self.upper_bound))

    def __repr__(self) -> str:
        name = type(self).__name__.lstrip("_")
        return f"{name}(lower_bound={self.lower_bound}, upper_bound={self.upper_bound})"


class _HalfOpenInterval(_Interval):
    def _ok(self, x):
        return (_bound(self.lower_bound) <= x) & (x < _bound(self.upper_bound))


class _IntegerInterval(_Interval):
    is_discrete = True

    def _ok(self, x):
        return (x % 1 == 0) & super()._ok(x)


class _IntegerGreaterThan(_GreaterThanEq):
    is_discrete = True

    def _ok(self, x):
        return (x % 1 == 0) & super()._ok(x)


class _Simplex(_Elementwise):
    event_dim = 1

    def _ok(self, x):
        return ((x >= 0).all(-1) & (np.abs(x.sum(-1) - 1) < 1e-6))[..., None]


class _Multinomial(_Elementwise):
    """Counts summing to at most total_count (torch checks the upper bound only)."""

    is_discrete, event_dim = True, 1

    def __init__(self, upper_bound: Any) -> None:
        self.upper_bound = upper_bound

    def _ok(self, x):
        return ((x >= 0).all(-1) & (x.sum(-1) <= _bound(self.upper_bound)))[..., None]


class _LowerCholesky(_Elementwise):
    event_dim = 2

    def _ok(self, x):
        lower = (np.triu(x, 1) == 0).all((-2, -1))
        positive = (np.diagonal(x, axis1=-2, axis2=-1) > 0).all(-1)
        return (lower & positive)[..., None, None]


class _PositiveDefinite(_Elementwise):
    event_dim = 2

    def _ok(self, x):
        symmetric = np.isclose(x, np.swapaxes(x, -1, -2), atol=1e-6).all((-2, -1))
        try:  # a Cholesky factor exists exactly for the positive definite ones
            positive = np.linalg.eigvalsh(x).min(-1) > 0
        except np.linalg.LinAlgError:
            positive = np.zeros(x.shape[:-2], bool)
        return (symmetric & positive)[..., None, None]


class _IndependentConstraint(Constraint):
    """``base_constraint`` judged over ``reinterpreted_batch_ndims`` more rightmost dims."""

    def __init__(self, base_constraint: Constraint, reinterpreted_batch_ndims: int) -> None:
        self.base_constraint = base_constraint
        self.reinterpreted_batch_ndims = reinterpreted_batch_ndims
        self.is_discrete = base_constraint.is_discrete
        self.event_dim = base_constraint.event_dim + reinterpreted_batch_ndims

    def check(self, value: Any) -> Tensor:
        ok = self.base_constraint.check(value).numpy()
        return _fold(ok, self.reinterpreted_batch_ndims)

    def __repr__(self) -> str:
        return f"IndependentConstraint({self.base_constraint!r}, {self.reinterpreted_batch_ndims})"


dependent = _Dependent()
dependent_property = property  # torch's decorator for a support that depends on parameters
independent = _IndependentConstraint
boolean = _Boolean()
one_hot = _OneHot()
nonnegative_integer = _IntegerGreaterThan(0)
positive_integer = _IntegerGreaterThan(1)
integer_interval = _IntegerInterval
real = _Real()
real_vector = _IndependentConstraint(real, 1)
positive = _GreaterThan(0.0)
nonnegative = _GreaterThanEq(0.0)
greater_than = _GreaterThan
greater_than_eq = _GreaterThanEq
less_than = _LessThan
multinomial = _Multinomial
unit_interval = _Interval(0.0, 1.0)
interval = _Interval
half_open_interval = _HalfOpenInterval
simplex = _Simplex()
lower_cholesky = _LowerCholesky()
positive_definite = _PositiveDefinite()

__all__ = [
    "Constraint",
    "boolean",
    "dependent",
    "dependent_property",
    "greater_than",
    "greater_than_eq",
    "half_open_interval",
    "independent",
    "integer_interval",
    "interval",
    "is_dependent",
    "less_than",
    "lower_cholesky",
    "multinomial",
    "nonnegative",
    "nonnegative_integer",
    "one_hot",
    "positive",
    "positive_definite",
    "positive_integer",
    "real",
    "real_vector",
    "simplex",
    "unit_interval",
]
