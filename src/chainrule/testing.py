"""``torch.testing.assert_close``: the check a test writes to compare two results, with torch's
default tolerances per dtype and its messages (an AssertionError naming the mismatch)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Callable

import numpy as np

from .tensor_numpy import values_of

from .autograd.tensor import Tensor

# torch's defaults (rtol, atol); integers and bools compare exactly
_TOLERANCES = {np.dtype(np.float16): (1e-3, 1e-5), np.dtype(np.float32): (1.3e-6, 1e-5)}
_TOLERANCES[np.dtype(np.float64)] = (1e-7, 1e-7)


def assert_close(
    actual: Any,
    expected: Any,
    *,
    allow_subclasses: bool = True,
    rtol: float | None = None,
    atol: float | None = None,
    equal_nan: bool = False,
    check_device: bool = True,
    check_dtype: bool = True,
    check_layout: bool = True,
    check_stride: bool = False,
    msg: str | Callable[[str], str] | None = None,
) -> None:
    """Raise an AssertionError unless ``|actual - expected| <= atol + rtol * |expected|``
    everywhere (NaN equal to NaN only with ``equal_nan``); sequences and mappings elementwise."""
    if (rtol is None) != (atol is None):
        raise ValueError(
            f"Both 'rtol' and 'atol' must be either specified or omitted, but got no "
            f"{'rtol' if rtol is None else 'atol'}."
        )
    _compare(actual, expected, (rtol, atol), equal_nan, check_dtype, msg, ())


def _values(x: Any) -> np.ndarray:
    """The values to compare: a tensor that requires grad is compared too, as torch does."""
    return values_of(x)


def _compare(actual, expected, tols, equal_nan, check_dtype, msg, path) -> None:
    if _is_tensor_like(actual) and _is_tensor_like(expected):
        return _tensors(_values(actual), _values(expected), tols, equal_nan, check_dtype, msg, path)
    if isinstance(actual, (bool, int, float)) and isinstance(expected, (bool, int, float)):
        if check_dtype and type(actual) is not type(expected):
            _fail(
                f"The values for attribute 'dtype' do not match: {type(actual).__name__} != "
                f"{type(expected).__name__}.",
                msg,
                path,
            )
        return _tensors(
            np.asarray(actual), np.asarray(expected), tols, equal_nan, False, msg, path, True
        )
    if isinstance(actual, Mapping) and isinstance(expected, Mapping):
        if set(actual) != set(expected):
            _fail(
                f"The keys of the mappings do not match: {sorted(map(str, set(actual) ^ set(expected)))}",
                msg,
                path,
            )
        for key in expected:
            _compare(actual[key], expected[key], tols, equal_nan, check_dtype, msg, path + (key,))
        return None
    if _is_sequence(actual) and _is_sequence(expected):
        if len(actual) != len(expected):
            _fail(
                f"The length of the sequences mismatch: {len(actual)} != {len(expected)}", msg, path
            )
        for i, (a, e) in enumerate(zip(actual, expected)):
            _compare(a, e, tols, equal_nan, check_dtype, msg, path + (i,))
        return None
    if actual is None and expected is None:
        return None
    raise TypeError(
        f"assert_close: expected inputs of comparable types, got {type(actual).__name__} and "
        f"{type(expected).__name__}."
    )


def _is_tensor_like(value: Any) -> bool:
    return isinstance(value, (Tensor, np.ndarray))


def _is_sequence(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def _tensors(actual, expected, tols, equal_nan, check_dtype, msg, path, scalar=False) -> None:
    if actual.shape != expected.shape:
        _fail(
            f"The values for attribute 'shape' do not match: chainrule.Size({list(actual.shape)}) "
            f"!= chainrule.Size({list(expected.shape)}).",
            msg,
            path,
        )
    if check_dtype and actual.dtype != expected.dtype:
        _fail(
            f"The values for attribute 'dtype' do not match: chainrule.{actual.dtype} != "
            f"chainrule.{expected.dtype}.",
            msg,
            path,
        )
    rtol, atol = tols
    if rtol is None:
        pairs = [_TOLERANCES.get(d, (0.0, 0.0)) for d in (actual.dtype, expected.dtype)]
        rtol, atol = max(p[0] for p in pairs), max(p[1] for p in pairs)
    a, e = actual.astype(np.float64), expected.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        # an infinite expected value makes the tolerance infinite too: only equality counts there
        close = (a == e) | (np.isfinite(e) & (np.abs(a - e) <= atol + rtol * np.abs(e)))
    if equal_nan:
        close |= np.isnan(a) & np.isnan(e)
    if close.all():
        return
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        abs_diff = np.where(close, 0.0, np.abs(a - e))
        rel_diff = np.where(close, 0.0, abs_diff / np.abs(e))
    exact = rtol == 0 and atol == 0  # torch says "equal" then, and no tolerance
    word = "equal" if exact else "close"
    up_to_abs, up_to_rel = (
        ("", "") if exact else (f" (up to {atol} allowed)", f" (up to {rtol} allowed)")
    )
    if scalar:
        text = (
            f"Scalars are not {word}!\n\nExpected {expected.item()} but got {actual.item()}.\n"
            f"Absolute difference: {_number(abs_diff.item(), actual)}{up_to_abs}\n"
            f"Relative difference: {rel_diff.item()}{up_to_rel}"
        )
    else:
        where_abs = np.unravel_index(np.nanargmax(np.nan_to_num(abs_diff, nan=np.inf)), a.shape)
        where_rel = np.unravel_index(np.nanargmax(np.nan_to_num(rel_diff, nan=np.inf)), a.shape)
        bad = int((~close).sum())
        # torch computes the relative difference in float32 for float32 and integer inputs
        rel = rel_diff[where_rel]
        rel = float(np.float32(rel)) if actual.dtype != np.float64 else float(rel)
        text = (
            f"Tensor-likes are not {word}!\n\nMismatched elements: {bad} / {a.size} "
            f"({100 * bad / a.size:.1f}%)\n"
            f"Greatest absolute difference: {_number(abs_diff[where_abs], actual)} at index "
            f"{tuple(map(int, where_abs))}{up_to_abs}\n"
            f"Greatest relative difference: {rel} at index {tuple(map(int, where_rel))}{up_to_rel}"
        )
    _fail(text, msg, path)


def _number(value: float, like: np.ndarray) -> float | int:
    """A difference as torch prints it: an int for integer inputs."""
    return int(value) if like.dtype.kind in "iub" else float(value)


def _fail(text: str, msg: Any, path: tuple) -> None:
    if path:
        text += "\n\nThe failure occurred for item " + "".join(f"[{p!r}]" for p in path)
    if callable(msg):
        text = msg(text)
    elif msg is not None:
        text = msg
    raise AssertionError(text)
