"""The one place that builds error messages, so every error reads the same way.

Template: ``<who>: expected <what>, got <actual>.`` plus an optional ``Hint: <fix>``.
"""

from __future__ import annotations

import functools
import os
import sys
from typing import Any, NoReturn

import numpy as np

from .errors import (
    ArgumentError,
    DimError,
    DTypeError,
    IndexRangeError,
    NotATensorError,
    ShapeError,
    ArgumentTypeError,
)


def message(who: str, expected: str, got: str, hint: str | None = None) -> str:
    text = f"{who}: expected {expected}, got {got}."
    if hint:
        text += f"\nHint: {hint}"
    return text


def fail_shape(who: str, expected: str, got: str, hint: str | None = None) -> NoReturn:
    raise ShapeError(message(who, expected, got, hint))


def fail_dtype(who: str, expected: str, got: str, hint: str | None = None) -> NoReturn:
    raise DTypeError(message(who, expected, got, hint))


def fail_value(who: str, expected: str, got: str, hint: str | None = None) -> NoReturn:
    raise ArgumentError(message(who, expected, got, hint))


def fail_count(who: str, expected: str, value: object) -> NoReturn:
    """A bad layer size: a TypeError too when it is not an int at all, as torch's is."""
    whole = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    raise (ArgumentError if whole else ArgumentTypeError)(message(who, expected, repr(value)))


def fail_index(who: str, expected: str, got: str, hint: str | None = None) -> NoReturn:
    raise IndexRangeError(message(who, expected, got, hint))


def check_allocation(who: str, elements: int, itemsize: int, what: str) -> None:
    """Refuse, before NumPy tries, a result larger than this machine's memory: a huge request
    would otherwise swap the machine to a halt, or be killed, instead of raising."""
    if elements * itemsize <= 2**30:  # a GiB fits anywhere chainrule runs: no system call
        return
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # no sysconf (Windows): NumPy's own refusal
        return
    if elements * itemsize > memory:
        fail_shape(
            who, f"a result that fits in memory ({memory / 2**30:.0f} GiB)", f"{what}, "
            f"{elements * itemsize / 2**30:.3g} GiB"
        )  # fmt: skip


# Exact types that pass check_tensor at once (Tensor and Parameter add themselves): the
# isinstance test against eight types below cost 0.2 us a call, six calls a training step.
PASSING_TYPES: set[type] = {np.ndarray}


def check_tensor(who: str, value: object, name: str = "input") -> None:
    """Refuse what torch refuses where a Tensor is due: a list would otherwise become one with the
    default dtype, silently, or fail deep inside NumPy. NumPy arrays pass, as everywhere here."""
    if type(value) in PASSING_TYPES:
        return
    if value is None or isinstance(value, (list, tuple, str, bytes, int, float, complex, dict)):
        raise NotATensorError(
            message(
                who,
                f"{name} to be a Tensor",
                type(value).__name__,
                "wrap it: chainrule.tensor(...).",
            )
        )


def caller_name(skip: int = 2) -> str:
    """The public function a shared conversion helper was called from (private helpers
    skipped), so its error names the op the user called: sort, det, zeros_like."""
    frame = sys._getframe(skip)
    while frame.f_back is not None and frame.f_code.co_name.startswith("_"):
        frame = frame.f_back
    return frame.f_code.co_name


def check_strides(who: str, array: np.ndarray) -> None:
    """torch cannot hold a reversed view (x[::-1], np.flip) and refuses it, saying to copy."""
    if min(array.strides, default=0) < 0:
        fail_value(
            who,
            "an array with no negative stride",
            f"strides {array.strides}",
            "copy it: array.copy().",
        )


def refuse_sequence(
    who: str, value: object, name: str, wanted: str = "a Tensor or a number"
) -> None:
    """torch's argument parser refuses a list where a Tensor or a number is due (where(c, [1.0],
    x), scalar_tensor([1.0])); NumPy would take it as an array, silently."""
    if value is None or isinstance(value, (list, tuple, str, bytes, dict)):
        raise NotATensorError(message(who, f"{name} to be {wanted}", type(value).__name__))


def no_sequences(operator: Any) -> Any:
    """Tensor.eq and its kin from the operator: a list or tuple is refused, as torch's parser
    does, where the operator hands it back (NotImplemented), so ``[1, 2] == t`` is False."""
    name = operator.__name__.strip("_")

    def method(self: Any, other: Any) -> Any:
        refuse_sequence(f"Tensor.{name}", other, "other")
        return operator(self, other)

    method.__name__ = method.__qualname__ = name
    return method


def check_bounds(who: str, low: int, last: int, dtype: np.dtype) -> None:
    """randint's [low, last] inside the dtype, as torch ("from is out of bounds for unsigned
    char"): check_fits alone would take -1 as 255 in uint8, as it does for a fill value."""
    if dtype.kind == "u" and low < 0:
        fail_value(who, f"low within {dtype}'s range (0 to {np.iinfo(dtype).max})", str(low))
    check_fits(who, [low, last], dtype)


def check_number(who: str, name: str, value: object) -> None:
    """A scalar argument (a slope, a fill value) that NumPy would otherwise meet as a string."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(message(who, f"{name} to be a number", f"{type(value).__name__} {value!r}"))


def shape_str(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def check_ndim(who: str, array: np.ndarray, ndim: int, layout: str, name: str = "inputs") -> None:
    if array.ndim != ndim:
        hint = None
        if array.ndim == 1 and ndim == 2:
            hint = f"a single sample needs a batch axis: use {name}.reshape(1, -1), or reshape(-1, 1) for one feature."
        fail_shape(who, f"{name} of shape {layout}", shape_str(array.shape), hint)


def check_float(who: str, array: np.ndarray, name: str = "inputs") -> None:
    if array.dtype.kind != "f":
        fail_dtype(
            who,
            f"floating-point {name}",
            f"dtype {array.dtype}",
            f"convert with {name}.astype(np.float64) (or float32 to match the model).",
        )


def check_positive_number(who: str, name: str, value: float, allow_zero: bool = True) -> None:
    ok = isinstance(value, (int, float, np.floating, np.integer)) and np.isfinite(value)
    ok = ok and (value >= 0 if allow_zero else value > 0)
    if not ok:
        bound = ">= 0" if allow_zero else "> 0"
        fail_value(who, f"a finite {name} {bound}", repr(value))


def check_probability(who: str, name: str, value: float) -> None:
    if not (isinstance(value, (int, float, np.floating)) and 0.0 <= value <= 1.0):
        if not isinstance(value, (int, float, np.number)):  # torch compares it: a TypeError
            raise ArgumentTypeError(message(who, f"{name} in [0, 1]", repr(value)))
        fail_value(who, f"{name} in [0, 1]", repr(value))


def check_dim(
    who: str, dim: object, ndim: int, shape: tuple[int, ...] | None = None, name: str = "dim"
) -> int:
    """Return dim as a non-negative axis, or raise naming the valid range as torch does.

    ``ndim`` is the number of axes the dim may point at (one more than the input's for
    unsqueeze and stack); a 0-d tensor accepts 0 and -1, as in torch.
    """
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(message(who, f"an integer {name}", f"{type(dim).__name__} {dim!r}"))
    limit = max(ndim, 1)
    if not -limit <= dim < limit:
        of = f" for a tensor of shape {shape_str(shape)}" if shape is not None else ""
        raise DimError(message(who, f"{name} in [{-limit}, {limit - 1}]{of}", str(int(dim))))
    return int(dim) % limit


def arange_step(start: object, end: object, step: object) -> object:
    """arange's step, refused where torch refuses it: NumPy divides by a zero step, and gives an
    empty tensor for a step pointing away from ``end``, where torch raises."""
    bounds = np.array([start, end, step], dtype=np.float64)
    if not np.isfinite(bounds).all():
        fail_shape("arange", "finite start, end and step", f"{start}, {end}, {step}")
    if step == 0 or (end - start) * step < 0:  # type: ignore[operator]
        fail_shape("arange", f"a non-zero step that leads from {start} to {end}", f"step={step}")
    return step


_FLOAT32_MAX = float(np.finfo(np.float32).max)


def check_fits(who: str, values: object, dtype: object) -> object:
    """Refuse numbers that an integer dtype cannot hold, as torch does ("value cannot be converted
    to type uint8 without overflow"): NumPy would wrap 256 round to 0 in uint8, without a word.
    An unsigned dtype takes a negative int as torch does, two's complement (-1 is 255 in uint8),
    but not a negative float. Returns the values to store: a caller checks and uses them in one
    expression (a Python int comes back wrapped, since NumPy refuses -1 as uint8)."""
    dtype = np.dtype(dtype)  # type: ignore[call-overload]
    if dtype.kind not in "iu":  # floats take inf and NaN, but fill_(1e300) on float32 is refused
        if dtype == np.float32 and type(values) is float and _FLOAT32_MAX < abs(values) < np.inf:
            fail_value(who, "values that fit in float32", repr(values), "value cannot be "
                       "converted to type float32 without overflow; use float64.")  # fmt: skip
        return values
    low, high = _limits(dtype)
    wraps = dtype.kind == "u"
    if type(values) in (int, float):  # the common case (fill_(3)): Python compares exactly
        floor = -high if wraps and type(values) is int else low
        if floor <= values <= high:  # NaN fails, and 2.0**63 is above int64's max, exactly
            return values % (high + 1) if wraps and values < 0 else values
        bad = [values]
    else:
        bad = _outside(values, low, high, -high if wraps else low)
    if bad:
        fail_value(
            who, f"values that fit in {dtype} ({low} to {high})", repr(bad[0]),
            f"value cannot be converted to type {dtype} without overflow; pick a wider dtype.",
        )  # fmt: skip
    return values


@functools.cache
def _limits(dtype: np.dtype) -> tuple[int, int]:
    info = np.iinfo(dtype)
    return int(info.min), int(info.max)


def _outside(values: object, low: int, high: int, int_low: int) -> list:
    """The first of ``values`` outside [low, high] (ints: [int_low, high]) as a one-item list,
    or an empty list."""
    array = values if isinstance(values, np.ndarray) else np.asarray(values)  # 2**70: objects
    if array.size == 0:
        return []
    if array.dtype == object:
        numbers = [v for v in array.reshape(-1).tolist() if isinstance(v, int)]  # 2**64
        bad = [v for v in numbers if not int_low <= v <= high]  # Python's exact comparison
    elif array.dtype.kind in "iuf":
        inside = (array >= (low if array.dtype.kind == "f" else int_low)) & (array <= high)
        if array.dtype.kind == "f":  # int64's max is not a float: 2.0**63 compares equal to it
            inside &= array < float(high) + 1
        return array[~inside].reshape(-1)[:1].tolist()
    else:
        return []
    return bad
