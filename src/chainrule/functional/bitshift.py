"""torch's bit shifts, ``<<`` and ``>>`` (bitwise_left_shift, bitwise_right_shift), on integer
tensors, with torch's answers where C's are undefined: a left shift by the width or more, or
by a negative amount, gives 0; a right shift that far fills with the sign bit (0 or -1).
The dtype is torch's promotion of the two operands (int8 << 1 stays int8, bool << 1 is int64);
floats and bool with bool are refused, as torch has no kernel for them. No gradient."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import message
from ..cpugraph.capture import record_call
from ..dtypes import operand, wrap_int
from ..errors import NoKernelError, ShapeError
from ..type_promotion import result_type
from .comparison import into
from .sorting import _tensor


def _shifted(a: np.ndarray, amount: np.ndarray, left: bool) -> np.ndarray:
    """a shifted by amount (both of the result's dtype), out-of-range amounts as torch's."""
    bits = a.dtype.itemsize * 8
    # torch reads the amount as signed: uint8 200 is -56, an out-of-range shift
    signed = amount.view(amount.dtype.str.replace("u", "i")) if amount.dtype.kind == "u" else amount
    limit = bits if left or a.dtype.kind == "u" else bits - 1
    out_of_range = (signed < 0) | (signed >= limit)
    if left:
        shifted = np.left_shift(a, np.where(out_of_range, 0, amount).astype(a.dtype))
        return np.where(out_of_range, 0, shifted).astype(a.dtype)
    fill = limit if a.dtype.kind == "i" else 0  # a signed value shifted by width-1 is its sign
    shifted = np.right_shift(a, np.where(out_of_range, fill, amount).astype(a.dtype))
    return shifted if a.dtype.kind == "i" else np.where(out_of_range, 0, shifted).astype(a.dtype)


def _shift(who: str, input: Any, other: Any, left: bool):  # noqa: A002
    first = input if hasattr(input, "_data") else None
    like = first if first is not None else other
    dtype = result_type(input, other)
    if dtype.kind not in "iu" or (dtype.kind == "u" and dtype.itemsize > 1):  # torch: uint8 only
        got = " and ".join(
            str(getattr(v, "dtype", type(v).__name__)) for v in (input, other)
        )  # fmt: skip
        raise NoKernelError(
            message(
                who,
                "integer tensors (torch has no shift for floats, bool with bool, or uint16+)",
                f"{got}, which promote to {dtype}",
                "convert first: x.long(), or use x * 2**k for floats.",
            )  # fmt: skip
        )
    arrays = []
    for value in (input, other):
        if type(value) is int:
            arrays.append(wrap_int(value, dtype))  # a number takes the tensor's dtype, wrapped
        else:
            arrays.append(np.asarray(operand(value, like)).astype(dtype, copy=False))
    try:  # recorded, so a CPUGraph replay recomputes it from each batch
        out = record_call(_shifted, *arrays, left)
    except ValueError:
        shapes = " and ".join(str(tuple(np.shape(a))) for a in arrays)
        raise ShapeError(message(who, "shapes that broadcast together", shapes)) from None
    return like._wrap(np.asarray(out))


def bitwise_left_shift(input: Any, other: Any, *, out: Any = None):  # noqa: A002
    """input << other, elementwise, on integers: torch.bitwise_left_shift."""
    if not hasattr(input, "_data") and not hasattr(other, "_data"):
        input = _tensor(input)  # noqa: A001
    return into(out, _shift("bitwise_left_shift", input, other, left=True))


def bitwise_right_shift(input: Any, other: Any, *, out: Any = None):  # noqa: A002
    """input >> other, elementwise, on integers (arithmetic for signed dtypes)."""
    if not hasattr(input, "_data") and not hasattr(other, "_data"):
        input = _tensor(input)  # noqa: A001
    return into(out, _shift("bitwise_right_shift", input, other, left=False))
