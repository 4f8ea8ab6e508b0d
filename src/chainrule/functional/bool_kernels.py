"""The arithmetic torch has no bool kernel for: bool // bool, bool % bool, bool ** bool,
abs(bool), floor(bool), ... raise there (NotImplementedError), where NumPy would quietly
compute in int8 or give bools back. One check, named after the op that asks."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import message
from ..errors import NoKernelError


def _is_bool(value: Any) -> bool:
    data = getattr(value, "_data", value)
    return isinstance(data, (bool, np.bool_)) or getattr(data, "dtype", None) == np.bool_


def refuse_bools(who: str, *operands: Any) -> None:
    """Raise when every operand is bool (so the result would be bool), as torch does."""
    if all(_is_bool(v) for v in operands):
        raise NoKernelError(
            message(
                who,
                "numbers (torch has no bool kernel for it)",
                "bool " + ("tensors" if len(operands) > 1 else "tensor"),
                "convert first: x.long() or x.float(); for masks use &, |, ^ and ~.",
            )  # fmt: skip
        )
