"""torch's rules on the factories' edges, kept outside the autograd core: randint and randperm
take requires_grad (refused for their integer dtypes, as torch refuses it), randn_like and
rand_like of an integer tensor have no kernel, an integer arange truncates its bounds and step
to integers first (so a step of 0.5 is refused), and normal_/uniform_ do not fill integers."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._checks import arange_step, message
from .autograd import factories
from .autograd.tensor import Tensor
from .dtypes import resolve_dtype
from .errors import ArgumentError, NoKernelError
from .out_arguments import _factory

__all__ = ["arange", "rand_like", "randint", "randn_like", "randperm"]


def _no_kernel(who: str, dtype: Any, hint: str | None = None) -> None:
    raise NoKernelError(message(who, "a floating-point dtype", f"dtype {dtype}", hint))


def _with_grad(tensor: Tensor, requires_grad: bool) -> Tensor:
    if requires_grad:
        tensor.requires_grad_(True)  # refused for integer dtypes, as torch refuses
    return tensor


def randint(
    low: int, high: Any = None, size: Any = None, *, requires_grad: bool = False, **kwargs: Any
) -> Tensor:
    """Integers in [low, high), int64 (torch.randint(high, size) or (low, high, size))."""
    return _with_grad(factories.randint(low, high, size, **kwargs), requires_grad)


def randperm(n: int, *, requires_grad: bool = False, **kwargs: Any) -> Tensor:
    """A random permutation of 0..n-1, int64 unless dtype says otherwise."""
    return _with_grad(factories.randperm(n, **kwargs), requires_grad)


def _random_like(who: str, make: Any, t: Any, dtype: Any, kwargs: dict) -> Tensor:
    if dtype is None and isinstance(t, Tensor) and t.dtype.kind != "f":
        _no_kernel(who, t.dtype, f"pass dtype=chainrule.float32, or {who}(t.float()).")
    return make(t, dtype, **kwargs)


def randn_like(t: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
    """Standard normal samples of t's shape and dtype (torch refuses an integer t)."""
    return _random_like("randn_like", factories.randn_like, t, dtype, kwargs)


def rand_like(t: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
    """Uniform samples in [0, 1) of t's shape and dtype (torch refuses an integer t)."""
    return _random_like("rand_like", factories.rand_like, t, dtype, kwargs)


def arange(start: Any, end: Any = None, step: Any = 1, dtype: Any = None, **kwargs: Any) -> Tensor:
    """int64 when every bound is an int, else the default float dtype (as torch.arange)."""
    if dtype is None:
        return factories.arange(start, end, step, **kwargs)
    wanted = resolve_dtype(dtype, "arange")
    if wanted.kind == "b":
        raise NoKernelError(message("arange", "a numeric dtype", "dtype bool"))
    bounds = (0, start) if end is None else (start, end)
    values = [v.item() if hasattr(v, "_data") else v for v in (*bounds, step)]
    if wanted.kind not in "iu" or all(isinstance(v, (int, np.integer)) for v in values):
        return factories.arange(start, end, step, dtype=dtype, **kwargs)
    return _integer_arange(values, wanted, kwargs)


def _integer_arange(values: list, dtype: np.dtype, kwargs: dict) -> Tensor:
    """torch's integer arange from float bounds: start and step are cut to integers (toward
    zero) for the values; int64 counts with the cut bounds (so a step of 0.5 is refused),
    narrower dtypes count with the float ones (so int32's is six zeros, as torch's)."""
    arange_step(*values)  # torch checks finiteness and the step's sign on the bounds as given
    start, end, step = (int(v) for v in values)
    if dtype == np.int64:
        if step == 0:
            raise ArgumentError(
                message(
                    "arange",
                    "a step that is non-zero as int64",
                    f"step={values[2]!r}, which is 0",
                    "use a float dtype, or an integer step.",
                )  # fmt: skip
            )
        count = math.ceil((end - start + step - (1 if step > 0 else -1)) / step)
        bounds = [start, end, step]
    else:
        count = math.ceil((values[1] - values[0]) / values[2]) if values[2] else 0
        bounds = values
    if count <= 0:  # empty, or a step pointing away from end: arange's own refusal
        return factories.arange(*bounds, dtype=dtype, **kwargs)
    counted = factories.arange(0, count, 1, dtype=dtype, **kwargs)  # checks device, grad
    return counted._wrap((counted._data.astype(np.int64) * step + start).astype(dtype))


def _fill_check(name: str) -> None:
    original = getattr(Tensor, name)

    def fill(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self._data.dtype.kind != "f":  # NumPy would truncate the draws into the integers
            _no_kernel(name, self._data.dtype)
        return original(self, *args, **kwargs)

    fill.__name__ = fill.__qualname__ = name
    fill.__doc__ = original.__doc__
    setattr(Tensor, name, fill)


for _name in ("normal_", "uniform_"):
    _fill_check(_name)

# torch's out= on them, as chainrule.arange and randint had before (out_arguments.py)
arange, randint = _factory(arange), _factory(randint)
