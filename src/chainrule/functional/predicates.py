"""Elementwise tests and counts, none of them differentiable: isclose, isinf, isfinite, the
logical_* family, unique, bincount and is_floating_point (torch's names and defaults)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import caller_name, check_tensor, fail_value
from ..cpugraph.capture import record_call, refuse
from ..errors import DTypeError, ShapeError
from .sorting import _tensor


def _array(x: Any) -> np.ndarray:
    if isinstance(x, (list, tuple)):  # torch.isclose([1], [1]) is a TypeError, as in _tensor
        check_tensor(caller_name(), x)
    return np.asarray(getattr(x, "_data", x))


def _wrap(array: Any):
    return _tensor(np.asarray(array))


def _test(fn: Any, *arrays: np.ndarray, **options: Any):
    """fn(*arrays) as a Tensor, recorded inside a CPUGraph capture so a replay tests again."""
    return _tensor(record_call(_evaluated, fn, arrays, options))


def _evaluated(fn: Any, arrays: tuple, options: dict) -> np.ndarray:
    return np.asarray(fn(*arrays, **options))


def isclose(
    input: Any,  # noqa: A002
    other: Any,
    rtol: float = 1e-05,
    atol: float = 1e-08,
    equal_nan: bool = False,
):
    """|input - other| <= atol + rtol * |other|, elementwise, as torch.isclose (which takes
    two tensors of one dtype)."""
    check_tolerances("isclose", rtol, atol)
    a, b = _array(input), _array(other)
    if hasattr(other, "_data") and a.dtype != b.dtype:
        raise DTypeError(
            f"isclose: expected two tensors of one dtype, got {a.dtype} and {b.dtype}."
        )
    return _test(np.isclose, a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


def check_tolerances(who: str, rtol: Any, atol: Any) -> None:
    """NumPy takes a negative tolerance and answers False everywhere; torch refuses it."""
    for name, value in (("rtol", rtol), ("atol", atol)):
        if not value >= 0:
            fail_value(who, f"{name} >= 0", repr(value))


def isinf(input: Any):  # noqa: A002
    return _test(np.isinf, _array(input))


def isfinite(input: Any):  # noqa: A002
    return _test(np.isfinite, _array(input))


def logical_not(input: Any):  # noqa: A002
    return _test(np.logical_not, _array(input))


def logical_and(input: Any, other: Any):  # noqa: A002
    return _test(np.logical_and, _array(input), _array(other))


def logical_or(input: Any, other: Any):  # noqa: A002
    return _test(np.logical_or, _array(input), _array(other))


def logical_xor(input: Any, other: Any):  # noqa: A002
    return _test(np.logical_xor, _array(input), _array(other))


def is_floating_point(input: Any) -> bool:  # noqa: A002
    return _array(input).dtype.kind == "f"


def unique(
    input: Any,  # noqa: A002
    sorted: bool = True,  # noqa: A002
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: Any = None,
):
    """The distinct values, sorted (torch sorts on the CPU either way), with the inverse
    indices and counts on request; ``dim`` picks distinct slices along that dim."""
    refuse("unique")  # its result's shape depends on the values: a replay could not follow
    data = _array(input)
    values, inverse, counts = np.unique(data, return_inverse=True, return_counts=True, axis=dim)
    if dim is None:
        inverse = inverse.reshape(data.shape)
    out = [_wrap(values)]
    if return_inverse:
        out.append(_wrap(inverse.astype(np.int64)))
    if return_counts:
        out.append(_wrap(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def bincount(input: Any, weights: Any = None, minlength: int = 0):  # noqa: A002
    """How often each value 0, 1, ... occurs in a 1-D non-negative integer tensor (int64), or
    the sum of ``weights`` at each (in the weights' float dtype)."""
    refuse("bincount")  # its length depends on the largest value
    data = _array(input)
    if data.ndim != 1 or data.dtype.kind not in "iu":
        raise DTypeError(
            f"bincount: expected a 1-D integer tensor, got dtype {data.dtype} with {data.ndim} dims."
        )
    if data.size and data.min() < 0:
        raise ShapeError(f"bincount: expected non-negative values, got {int(data.min())}.")
    if weights is None:
        return _wrap(np.bincount(data, minlength=minlength).astype(np.int64))
    w = _array(weights)
    return _wrap(np.bincount(data, weights=w, minlength=minlength).astype(w.dtype))
