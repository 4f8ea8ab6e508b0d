"""torch's named bitwise ops on integer and bool tensors: the operators &, |, ^ and ~ under
torch's names (bool with bool stays bool, bool with an integer is int64, floats are refused).

The result takes torch's dtype (type_promotion.result_type): a 0-d tensor or a NumPy integer
scalar does not widen a tensor with dims (uint8 | np.int8(-1) is uint8, where NumPy gives
int16). And, or and xor of the wider values keep the same low bits, so casting back is exact."""

from __future__ import annotations

from typing import Any

from ..type_promotion import result_type
from .sorting import _tensor


def _as_torch_types(result: Any, x: Any, other: Any) -> Any:
    if isinstance(other, (list, tuple)) or result.dtype.kind == "b":
        return result
    wanted = result_type(x, other)
    return result if result.dtype == wanted else result.to(wanted)


def _operands(input: Any, other: Any) -> tuple:  # noqa: A002
    """A number first (bitwise_and(300, t)) is torch's wrapped number: these ops commute, so it
    goes second, where it takes the tensor's dtype instead of making an int64 tensor."""
    if not hasattr(input, "_data") and hasattr(other, "_data"):
        return other, input
    return _tensor(input), other


def bitwise_and(input: Any, other: Any):  # noqa: A002
    x, other = _operands(input, other)
    return _as_torch_types(x & other, x, other)


def bitwise_or(input: Any, other: Any):  # noqa: A002
    x, other = _operands(input, other)
    return _as_torch_types(x | other, x, other)


def bitwise_xor(input: Any, other: Any):  # noqa: A002
    x, other = _operands(input, other)
    return _as_torch_types(x ^ other, x, other)


def bitwise_not(input: Any):  # noqa: A002
    return ~_tensor(input)
