"""torch's rules on two factory edges that stay outside autograd/factories.py: an integer arange
truncates its float bounds and step to integers first (so a step of 0.5 is refused as int64),
and normal_/uniform_ refuse to fill an integer tensor (NumPy would truncate the draws).

Why here and not in the factories: the arange rule is some 40 lines and the fill check sits on
inplace.py's methods, and autograd/'s line budget (tests/autograd/test_line_budget.py) is spent.
The cheaper rules were folded into the factories themselves: requires_grad on randint and
randperm (refused for their integer dtypes) and randn_like/rand_like of an integer tensor.
"""

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

__all__ = ["arange"]


def _no_kernel(who: str, dtype: Any, hint: str | None = None) -> None:
    raise NoKernelError(message(who, "a floating-point dtype", f"dtype {dtype}", hint))


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

# torch's out= on it, as chainrule.arange had before (out_arguments.py)
arange = _factory(arange)
