"""torch-style constructors: tensor, zeros, ones, full, arange, linspace, randn, randint, ..."""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from .._checks import arange_step, check_allocation, check_fits, caller_name, check_tensor
from .._checks import check_bounds, message
from ..dtypes import get_default_dtype, resolve_dtype, resolve_float
from ..errors import ArgumentError, NoKernelError, ShapeError
from ..random import SeedLike, as_generator
from ..device import check_device
from .tensor import Tensor
from .values import _to_array, check_array


def _shape(size: tuple, who: str, dtype: Any = np.float64) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    # int() would truncate 2.5 to 2 and read '3' as 3: torch refuses both, and so does chainrule
    odd = [
        f"{type(n).__name__} {n!r}"
        for n in size
        if isinstance(n, bool) or not isinstance(n, (int, np.integer, Tensor))
    ]
    if odd:
        raise TypeError(f"{who}: expected sizes that are ints, got {', '.join(odd)}.")
    shape = tuple(operator.index(n) for n in size)  # a one-element int tensor too, as torch
    if any(n < 0 for n in shape):
        raise ShapeError(f"{who}: expected non-negative sizes, got {shape}.")
    check_allocation(who, math.prod(shape), np.dtype(dtype).itemsize, f"sizes {shape}")
    return shape


def _sized(size: tuple, dtype: Any, who: str) -> tuple[tuple[int, ...], np.dtype]:
    dtype = _dtype(dtype, who)
    return _shape(size, who, dtype), dtype


def _made(array: np.ndarray, requires_grad: bool, device: Any, who: str) -> Tensor:
    check_device(device, who)
    return Tensor._of(array, requires_grad=requires_grad)


def tensor(data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data``.

    An ndarray (or NumPy scalar) keeps its dtype, as torch.tensor(ndarray) does; Python
    floats and lists of them take the default dtype (float32), ints become int64.
    """
    if isinstance(data, Tensor):
        data = data._data
    array = _to_array(data, dtype)  # Tensor() takes an ndarray as it is, unchecked (its hot path)
    if isinstance(data, np.ndarray) and np.shares_memory(array, data):
        array = array.copy()
    return _made(array, requires_grad, device, "tensor")


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Wrap without copying where possible; a Tensor of the right dtype passes through."""
    check_device(device, "as_tensor")
    if isinstance(data, Tensor):
        return (
            data
            if dtype is None or data.dtype == resolve_dtype(dtype, "as_tensor")
            else data.to(dtype)
        )
    return Tensor._of(_to_array(data, dtype, "as_tensor"))


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``array``, keeping its dtype (torch.from_numpy)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected a numpy.ndarray, got {type(array).__name__}.")
    check_array(array, "from_numpy")
    return Tensor._of(array)


def zeros(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _made(np.zeros(*_sized(size, dtype, "zeros")), requires_grad, device, "zeros")


def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _made(np.ones(*_sized(size, dtype, "ones")), requires_grad, device, "ones")


def empty(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros, in fact: uninitialised memory would make runs irreproducible."""
    return _made(np.zeros(*_sized(size, dtype, "empty")), requires_grad, device, "empty")


def full(
    size: Any, fill_value: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """``fill_value`` everywhere; its type picks the dtype (float -> default, int -> int64)."""
    dtype = resolve_dtype(Tensor._of(fill_value).dtype if dtype is None else dtype, "full")
    shape = _shape(tuple(size) if isinstance(size, (tuple, list)) else (size,), "full", dtype)
    return _made(
        np.full(shape, check_fits("full", fill_value, dtype), dtype=dtype),
        requires_grad,
        device,
        "full",
    )


def zeros_like(
    t: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    return _made(
        np.zeros_like(_values(t), dtype=_like(t, dtype)), requires_grad, device, "zeros_like"
    )


def ones_like(t: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _made(
        np.ones_like(_values(t), dtype=_like(t, dtype)), requires_grad, device, "ones_like"
    )


def full_like(
    t: Any, fill_value: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    fill_value = check_fits("full_like", fill_value, _like(t, dtype) or np.result_type(_values(t)))
    return _made(
        np.full_like(_values(t), fill_value, dtype=_like(t, dtype)),
        requires_grad,
        device,
        "full_like",
    )


def randn_like(
    t: Any, dtype: Any = None, generator: SeedLike = None, requires_grad: bool = False
) -> Tensor:
    return randn(
        *np.shape(_values(t)),
        dtype=dtype or _float_like(t, "randn_like"),
        generator=generator,
        requires_grad=requires_grad,
    )


def rand_like(
    t: Any, dtype: Any = None, generator: SeedLike = None, requires_grad: bool = False
) -> Tensor:
    return rand(
        *np.shape(_values(t)),
        dtype=dtype or _float_like(t, "rand_like"),
        generator=generator,
        requires_grad=requires_grad,
    )


def _float_like(t: Any, who: str) -> Any:
    values = _values(t)
    if isinstance(t, Tensor) and values.dtype.kind != "f":  # torch has no kernel for it either
        hint = f"pass dtype=chainrule.float32, or {who}(t.float())."
        raise NoKernelError(message(who, "a floating-point dtype", f"dtype {values.dtype}", hint))
    return (
        values.dtype
        if getattr(values, "dtype", None) is not None and values.dtype.kind == "f"
        else None
    )


def arange(
    start: Any,
    end: Any = None,
    step: Any = 1,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """int64 when every bound is an int, else the default float dtype (as torch.arange)."""
    start, end = (0, start) if end is None else (start, end)
    start, end, step = (v.item() if hasattr(v, "_data") else v for v in (start, end, step))
    if dtype is None:
        integral = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = np.int64 if integral else get_default_dtype()
    step = arange_step(start, end, step)
    check_allocation("arange", math.ceil((end - start) / step), 8, f"({start}, {end}, {step})")
    values = np.arange(start, end, step)
    values = values.astype(resolve_dtype(dtype, "arange"))
    return _made(values, requires_grad, device, "arange")


def linspace(
    start: float,
    end: float,
    steps: int,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ArgumentError(f"linspace: expected a non-negative int steps, got {steps!r}.")
    check_allocation("linspace", int(steps), 8, f"steps={steps}")
    check_fits("linspace", [start, end], _dtype(dtype, "linspace"))  # 300 would wrap in uint8
    values = np.linspace(start, end, int(steps)).astype(_dtype(dtype, "linspace"))
    return _made(values, requires_grad, device, "linspace")


def randn(
    *size: Any,
    generator: SeedLike = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Standard normal samples from ``generator`` (default: the one manual_seed sets)."""
    values = as_generator(generator).standard_normal(_shape(size, "randn"))
    return _made(
        values.astype(resolve_float(dtype, "randn"), copy=False), requires_grad, device, "randn"
    )


def rand(
    *size: Any,
    generator: SeedLike = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Uniform samples in [0, 1) from ``generator`` (default: the one manual_seed sets)."""
    values = as_generator(generator).random(_shape(size, "rand"))
    return _made(
        values.astype(resolve_float(dtype, "rand"), copy=False), requires_grad, device, "rand"
    )


def randint(
    low: int,
    high: Any = None,
    size: Any = None,
    *,
    generator: SeedLike = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers in [low, high), int64 (torch.randint(high, size) or (low, high, size))."""
    if size is None:
        if high is None or not isinstance(high, (tuple, list)):
            raise TypeError(
                "randint: expected a size tuple, as randint(low, high, (n,)) or "
                "randint(high, (n,))."
            )
        low, high, size = 0, low, high
    elif high is None:  # randint(high, size=(n,))
        low, high = 0, low
    if high <= low:
        raise ArgumentError(f"randint: expected low < high, got low={low}, high={high}.")
    check_bounds("randint", low, high - 1, resolve_dtype(dtype or np.int64, "randint"))
    values = as_generator(generator).integers(low, high, _shape(tuple(size), "randint"))
    values = values.astype(resolve_dtype(dtype or np.int64, "randint"))
    return _made(values, requires_grad, device, "randint")  # refused for integers, as torch


def randperm(
    n: int,
    *,
    generator: SeedLike = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    values = as_generator(generator).permutation(_shape((n,), "randperm")[0])
    values = values.astype(resolve_dtype(dtype or np.int64, "randperm"))
    return _made(values, requires_grad, device, "randperm")


def normal(
    mean: Any = 0.0,
    std: Any = 1.0,
    size: Any = None,
    *,
    generator: SeedLike = None,
    dtype: Any = None,
) -> Tensor:
    """Samples of N(mean, std^2): tensors broadcast, or floats with ``size``."""
    rng = as_generator(generator)
    mean_v, std_v = _values(mean), _values(std)
    if size is not None:
        shape = _shape(tuple(size) if isinstance(size, (tuple, list)) else (size,), "normal")
    else:
        shape = np.broadcast_shapes(np.shape(mean_v), np.shape(std_v))
    if np.any(np.asarray(std_v) < 0):
        raise ArgumentError("normal: expected std >= 0, got a negative value.")
    like = next(
        (v.dtype for v in (mean, std) if isinstance(v, Tensor) and v.dtype.kind == "f"), None
    )
    values = rng.normal(mean_v, std_v, shape)
    return Tensor._of(values.astype(resolve_float(dtype or like, "normal"), copy=False))


def multinomial(
    input: Any,
    num_samples: int,
    replacement: bool = False,
    *,  # noqa: A002
    generator: SeedLike = None,
) -> Tensor:
    """Indices drawn with probability proportional to each row of ``input`` (int64)."""
    weights = np.asarray(_values(input), dtype=np.float64)
    if weights.ndim not in (1, 2):
        raise ShapeError(
            f"multinomial: expected a 1-D or 2-D tensor of weights, got {weights.ndim}-D."
        )
    if np.any(weights < 0) or not np.all(np.isfinite(weights)):
        raise ArgumentError(
            "multinomial: expected finite, non-negative weights, got a negative, inf or NaN one."
        )
    rows = weights.reshape(-1, weights.shape[-1])
    rng = as_generator(generator)
    out = []
    for row in rows:
        total = row.sum()
        if total <= 0:
            raise ArgumentError(
                "multinomial: expected each row of weights to have a positive sum, "
                "got a row of zeros."
            )
        if not replacement and num_samples > np.count_nonzero(row):
            raise ArgumentError(
                f"multinomial: expected num_samples <= {np.count_nonzero(row)} "
                f"(non-zero weights) without replacement, got {num_samples}."
            )
        out.append(rng.choice(row.size, size=num_samples, replace=replacement, p=row / total))
    result = np.asarray(out, dtype=np.int64)
    return Tensor._of(result if weights.ndim == 2 else result[0])


def histc(input: Any, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:  # noqa: A002
    """Counts in ``bins`` equal bins over [min, max] (the data's range when both are 0)."""
    values = np.asarray(_values(input))
    low, high = (float(values.min()), float(values.max())) if min == max == 0 else (min, max)
    if low == high:
        low, high = low - 1, high + 1
    counts, _ = np.histogram(
        values[(values >= low) & (values <= high)], bins=bins, range=(low, high)
    )
    dtype = values.dtype if values.dtype.kind == "f" else get_default_dtype()
    return Tensor._of(counts.astype(dtype))


def _values(t: Any) -> Any:
    if isinstance(t, (list, tuple)):  # torch.zeros_like([1, 2]) is a TypeError
        check_tensor(caller_name(), t)
    return t._data if isinstance(t, Tensor) else t


def _dtype(dtype: Any, who: str) -> np.dtype:
    return get_default_dtype() if dtype is None else resolve_dtype(dtype, who)


def _like(t: Any, dtype: Any) -> Any:
    values = _values(t)  # an expanded view is small; what zeros_like(view) builds is not
    check_allocation(caller_name(), int(np.size(values)), np.result_type(values).itemsize, "a view")
    return None if dtype is None else resolve_dtype(dtype, "like")
