"""``alpha * other`` for torch's add/sub(input, other, alpha=...) and their in-place forms.

torch scales ``other`` in the dtype of the result, not in ``other``'s own: uint8 + 2 * int8
computes 2 * int8 in int16, where ``other * alpha`` first would wrap at int8's width. And torch
checks alpha against that dtype: no float alpha for integer results, no bool alpha but for bool
results; subtracting a bool is refused as ``-`` is.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import fail_value
from ..dtypes import number_as
from ..type_promotion import result_type
from .arithmetic import _refuse_bool


def alpha_times(who: str, input: Any, other: Any, alpha: Any) -> Any:  # noqa: A002
    """other scaled by alpha, ready to add to (or subtract from) ``input``."""
    if alpha == 1 and type(alpha) is not bool:
        return other
    if isinstance(other, np.generic):  # a NumPy scalar is a number to torch: int8(97) * 3 is 291
        other = other.item()
    data = getattr(other, "_data", None)
    if data is not None and data.dtype.kind == "f" and type(alpha) is not bool:
        return other * alpha  # the optimizers' p.add_(grad, alpha=-lr): no promotion to ask
    if who.startswith("sub") and (type(other) is bool or getattr(data, "dtype", None) == np.bool_):
        _refuse_bool(who, "a - alpha * b")
    dtype = result_type(input, other)
    if isinstance(alpha, (bool, np.bool_)) and dtype.kind != "b":
        fail_value(who, "a bool alpha only for bool results", f"alpha={alpha} for {dtype}")
    if dtype.kind in "iub" and not isinstance(alpha, (int, np.integer)):
        fail_value(who, "an integer alpha for integer inputs", f"alpha={alpha!r}")
    if dtype.kind == "b":
        return other if alpha else other & False
    if data is not None and data.dtype != dtype:
        other = other.to(dtype)
    elif type(other) is float and dtype == np.float32:  # torch casts first: 1e300 is inf there
        other = float(number_as(other, dtype))
    return other * alpha
