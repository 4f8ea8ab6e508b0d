"""torch-style constructors: tensor, zeros, ones, full, arange, randn, rand."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dtypes import resolve_float
from ..random import SeedLike, as_generator
from .tensor import Tensor


def _shape(size: tuple) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    return tuple(size)


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data``; Python floats become the default dtype."""
    if isinstance(data, Tensor):
        data = data.data
    array = np.array(data, dtype=dtype, copy=True)
    if dtype is None and array.dtype.kind == "f":
        array = array.astype(resolve_float(None, "tensor"), copy=False) if not isinstance(
            data, np.ndarray) else array
    return Tensor(array, requires_grad=requires_grad)


def as_tensor(data: Any, dtype: Any = None) -> Tensor:
    """Wrap without copying where possible; a Tensor passes through."""
    if isinstance(data, Tensor) and (dtype is None or data.dtype == np.dtype(dtype)):
        return data
    return Tensor(np.asarray(getattr(data, "data", data), dtype=dtype))


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return Tensor(np.zeros(_shape(size), dtype=resolve_float(dtype, "zeros")), requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return Tensor(np.ones(_shape(size), dtype=resolve_float(dtype, "ones")), requires_grad)


def full(size: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    shape = tuple(size) if isinstance(size, (tuple, list)) else (size,)
    return Tensor(np.full(shape, fill_value, dtype=resolve_float(dtype, "full")), requires_grad)


def zeros_like(t: Tensor, requires_grad: bool = False) -> Tensor:
    return Tensor(np.zeros_like(t.data), requires_grad)


def ones_like(t: Tensor, requires_grad: bool = False) -> Tensor:
    return Tensor(np.ones_like(t.data), requires_grad)


def arange(start: float, end: float | None = None, step: float = 1, dtype: Any = None) -> Tensor:
    values = np.arange(start, end, step) if end is not None else np.arange(start)
    if dtype is not None or values.dtype.kind == "f":
        values = values.astype(resolve_float(dtype, "arange"))
    return Tensor(values)


def randn(*size: Any, generator: SeedLike = None, dtype: Any = None,
          requires_grad: bool = False) -> Tensor:
    """Standard normal samples from ``generator`` (default: the one manual_seed sets)."""
    rng = as_generator(generator)
    values = rng.standard_normal(_shape(size)).astype(resolve_float(dtype, "randn"), copy=False)
    return Tensor(values, requires_grad)


def rand(*size: Any, generator: SeedLike = None, dtype: Any = None,
         requires_grad: bool = False) -> Tensor:
    """Uniform samples in [0, 1) from ``generator`` (default: the one manual_seed sets)."""
    rng = as_generator(generator)
    values = rng.random(_shape(size)).astype(resolve_float(dtype, "rand"), copy=False)
    return Tensor(values, requires_grad)
