"""torch's random in-place fills and samplers beyond rand/randn: bernoulli(_), random_,
exponential_, geometric_, log_normal_, cauchy_, poisson, randint_like, Tensor.multinomial.

Every one draws from a ``generator=`` (a chainrule.Generator, a NumPy Generator, a seed, or
None for the default that manual_seed reseeds), never NumPy's global RNG. The numbers differ
from torch's stream for the same seed; the distributions are torch's."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import fail_value, message
from ..errors import NoKernelError
from ..autograd.factories import multinomial
from ..autograd.inplace import _fill, _refuse_leaf
from ..random import as_generator
from .sorting import _tensor


def _probabilities(who: str, p: Any) -> np.ndarray:
    values = np.asarray(getattr(p, "_data", p), dtype=np.float64)
    if np.any((values < 0) | (values > 1)) or np.any(np.isnan(values)):
        fail_value(who, "probabilities in [0, 1]", "a value outside it")
    return values


def _continuous(who: str, self: Any) -> None:
    """A continuous distribution has no integer draws: torch refuses, NumPy would truncate."""
    if self._data.dtype.kind != "f":
        # torch: a RuntimeError from exponential_ and cauchy_, NotImplementedError from log_normal_
        got = f"dtype {self._data.dtype}"
        raise NoKernelError(message(who, "a floating-point tensor to fill", got))


def bernoulli(input: Any, p: Any = None, *, generator: Any = None, out: Any = None):  # noqa: A002
    """0 or 1 for each element, 1 with probability ``input`` (or ``p`` if given), in input's
    dtype; no gradient, as torch."""
    x = _tensor(input)
    chance = _probabilities("bernoulli", x if p is None else p)
    draws = as_generator(generator).random(tuple(x.shape)) < chance
    result = _tensor(draws.astype(x.dtype))
    return result if out is None else out.copy_(result)


def bernoulli_(self: Any, p: Any = 0.5, *, generator: Any = None):
    _refuse_leaf("bernoulli_", self)
    chance = _probabilities("bernoulli_", p)
    return _fill(self, "bernoulli_", as_generator(generator).random(tuple(self.shape)) < chance)


def random_(
    self: Any, from_: int = 0, to: int | None = None, *, generator: Any = None, **kwargs: Any
):
    """Integers in [from, to - 1]; random_(to) is [0, to - 1]; with no bound, [0, 2^mantissa]
    for floats (every integer the dtype holds exactly) and the dtype's maximum for integers."""
    _refuse_leaf("random_", self)
    named = "from" in kwargs  # random_(from=2, to=5): Python cannot name a parameter "from"
    low = kwargs.pop("from", from_)
    if to is None and not named and from_ != 0:
        low, to = 0, from_
    dtype = self._data.dtype
    if to is None:
        if dtype.kind == "f":
            to = 2 ** (np.finfo(dtype).nmant + 1) + 1
        elif dtype.kind == "b":
            to = 2
        else:
            to = int(np.iinfo(dtype).max) + 1
    if to <= low:
        fail_value("random_", "from < to", f"from={low}, to={to}")
    if dtype.kind in "biu":  # a draw outside the dtype would wrap around (-3 as uint8 is 253)
        info = (0, 1) if dtype.kind == "b" else (int(np.iinfo(dtype).min), int(np.iinfo(dtype).max))
        if low < info[0] or to - 1 > info[1]:
            fail_value("random_", f"from and to - 1 in [{info[0]}, {info[1]}] for {dtype}",
                       f"from={low}, to={to}")  # fmt: skip
    values = as_generator(generator).integers(low, to, tuple(self.shape), endpoint=False)
    return _fill(self, "random_", values)


def exponential_(self: Any, lambd: float = 1.0, *, generator: Any = None):
    _refuse_leaf("exponential_", self)
    _continuous("exponential_", self)
    if not lambd > 0:
        fail_value("exponential_", "lambd > 0", str(lambd))
    values = as_generator(generator).exponential(1.0 / lambd, tuple(self.shape))
    return _fill(self, "exponential_", values)


def geometric_(self: Any, p: float, *, generator: Any = None):
    """The number of trials to the first success (1, 2, ...), success probability p."""
    _refuse_leaf("geometric_", self)
    if not 0 < p < 1:
        fail_value("geometric_", "p in (0, 1)", str(p))
    return _fill(self, "geometric_", as_generator(generator).geometric(p, tuple(self.shape)))


def log_normal_(self: Any, mean: float = 1.0, std: float = 2.0, *, generator: Any = None):
    """exp of N(mean, std^2) samples (mean and std are the underlying normal's, as torch)."""
    _refuse_leaf("log_normal_", self)
    _continuous("log_normal_", self)
    if not std > 0:
        fail_value("log_normal_", "std > 0", str(std))
    return _fill(
        self, "log_normal_", as_generator(generator).lognormal(mean, std, tuple(self.shape))
    )


def cauchy_(self: Any, median: float = 0.0, sigma: float = 1.0, *, generator: Any = None):
    _refuse_leaf("cauchy_", self)
    _continuous("cauchy_", self)
    if not sigma > 0:
        fail_value("cauchy_", "sigma > 0", str(sigma))
    values = median + sigma * as_generator(generator).standard_cauchy(tuple(self.shape))
    return _fill(self, "cauchy_", values)


def poisson(input: Any, generator: Any = None):  # noqa: A002
    """A Poisson count for each rate in ``input``, in input's dtype (no gradient)."""
    x = _tensor(input)
    rates = np.asarray(x._data, dtype=np.float64)
    if np.any(rates < 0) or np.any(np.isnan(rates)):
        fail_value("poisson", "rates >= 0", "a negative or NaN rate")
    return _tensor(as_generator(generator).poisson(rates).astype(x.dtype))


def randint_like(
    input: Any,
    low: int = 0,
    high: int | None = None,
    *,
    dtype: Any = None,  # noqa: A002
    requires_grad: bool = False,
    generator: Any = None,
    **_: Any,
):
    """Integers in [low, high) in input's shape and dtype; randint_like(x, high) as torch."""
    from ..dtypes import resolve_dtype

    x = _tensor(input)
    if high is None:
        low, high = 0, low
    if high <= low:
        fail_value("randint_like", "low < high", f"low={low}, high={high}")
    wanted = x.dtype if dtype is None else resolve_dtype(dtype, "randint_like")
    values = as_generator(generator).integers(low, high, tuple(x.shape)).astype(wanted)
    out = _tensor(values)
    return out.requires_grad_() if requires_grad else out


def multinomial_method(
    self: Any, num_samples: int, replacement: bool = False, *, generator: Any = None
):
    return multinomial(self, num_samples, replacement, generator=generator)
