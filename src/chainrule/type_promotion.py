"""torch's dtype rules as queries: result_type, promote_types, can_cast.

chainrule's own ops refuse float32 meeting float64 (dtypes.promote says why); these answer what
torch would compute, so a torch program that asks (to allocate an ``out``, say) gets torch's
answer. Kinds rank bool < integer < float; a Python number or a 0-d tensor decides the dtype
only when its kind outranks every tensor with dims (torch's "wrapped number" rule).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import refuse_sequence
from .dtypes import get_default_dtype, resolve_dtype

_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}


def _rank(dtype: np.dtype) -> int:
    return _RANK[dtype.kind]


def promote_types(type1: Any, type2: Any) -> np.dtype:
    """The smallest dtype both fit in; an integer meeting a float gives that float (torch:
    int64 with float16 is float16, where NumPy would widen to float64)."""
    a, b = resolve_dtype(type1, "promote_types"), resolve_dtype(type2, "promote_types")
    if _rank(a) != _rank(b) and 2 in (_rank(a), _rank(b)):
        return a if _rank(a) == 2 else b
    return np.promote_types(a, b)


def can_cast(from_: Any, to: Any) -> bool:
    """torch's same-kind rule: no float -> integer, no number -> bool; widths do not matter."""
    return _rank(resolve_dtype(to, "can_cast")) >= _rank(resolve_dtype(from_, "can_cast"))


def _dtype_of(value: Any) -> tuple[int, np.dtype]:
    """(group, dtype): 0 for a tensor with dims, 1 for a 0-d tensor, 2 for a Python number."""
    data = getattr(value, "_data", None)
    if data is not None:
        return (0 if data.ndim else 1), data.dtype
    if isinstance(value, (bool, np.bool_)):
        return 2, np.dtype(np.bool_)
    if isinstance(value, (int, np.integer)):
        return 2, np.dtype(np.int64)
    return 2, get_default_dtype()


def _combine(higher: Any, lower: Any) -> Any:
    """torch's combine_categories: the higher group wins unless the lower one outranks its kind."""
    if higher is None:
        return lower
    if lower is None or _rank(higher) == 2:
        return higher
    if _rank(higher) == 0 or _rank(lower) == 2:
        return promote_types(higher, lower)
    return higher


def result_type(tensor1: Any, tensor2: Any) -> np.dtype:
    """The dtype torch gives ``tensor1 op tensor2`` (either may be a Python number)."""
    return result_type_of(tensor1, tensor2)


def result_type_of(*values: Any) -> np.dtype:
    """result_type over any number of operands (clamp's input, min and max)."""
    for value in values:
        refuse_sequence("result_type", value, "each argument")
    return _folded([_dtype_of(value) for value in values])


def _folded(grouped: list[tuple[int, np.dtype]]) -> np.dtype:
    """Promote within each group (tensors with dims, 0-d tensors, numbers), then combine them."""
    groups: list[Any] = [None, None, None]
    for group, dtype in grouped:
        groups[group] = dtype if groups[group] is None else promote_types(groups[group], dtype)
    return _combine(groups[0], _combine(groups[1], groups[2]))


def common_dtype(a: Any, b: Any) -> Any:
    """result_type on what an operator's kernel receives: an ndarray with dims stands for a
    tensor with dims, a 0-d one for a 0-d tensor, a number for itself; None for anything else."""
    grouped = []
    for value in (a, b):
        if isinstance(value, np.ndarray):
            group, dtype = (0 if value.ndim else 1), value.dtype
        elif isinstance(value, (bool, int, float, np.generic)):
            group, dtype = _dtype_of(value)
        else:
            return None
        if dtype.kind not in _RANK or dtype == np.float16:  # NumPy's own rule then
            return None
        grouped.append((group, dtype))
    return _folded(grouped)
