"""torch's named bitwise ops on integer and bool tensors: the operators &, |, ^ and ~ under
torch's names (bool with bool stays bool, bool with an integer is int64, floats are refused)."""

from __future__ import annotations

from typing import Any

from .sorting import _tensor


def bitwise_and(input: Any, other: Any):  # noqa: A002
    return _tensor(input) & other


def bitwise_or(input: Any, other: Any):  # noqa: A002
    return _tensor(input) | other


def bitwise_xor(input: Any, other: Any):  # noqa: A002
    return _tensor(input) ^ other


def bitwise_not(input: Any):  # noqa: A002
    return ~_tensor(input)
