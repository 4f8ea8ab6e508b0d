"""round, floor, ceil and sign: step functions, so their gradient is zero (as in torch)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from .bool_kernels import refuse_bools


def _sign(x: np.ndarray) -> np.ndarray:
    """torch's sign: 0 at NaN (NumPy's is NaN), and a bool tensor is its own sign."""
    if x.dtype.kind == "b":
        return x.copy()
    return np.subtract(x > 0, x < 0, dtype=x.dtype)


_ROUNDERS = {"round": np.round, "floor": np.floor, "ceil": np.ceil, "sign": _sign}
_ROUNDERS["trunc"] = np.trunc


class Round(Function):
    """y = round(x) (half to even, as torch), floor, ceil, trunc or sign; dy/dx = 0 almost everywhere."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, mode, decimals=0):
        if mode == "round" and decimals:
            return np.round(x, decimals)
        return _ROUNDERS[mode](x)

    @staticmethod
    def backward(ctx, grad_y):
        return np.zeros_like(grad_y)


def round(x: Any, decimals: int = 0):  # noqa: A001  (torch.round)
    refuse_bools("round", x)
    return Round.apply(x, mode="round", decimals=decimals)


def floor(x: Any):
    refuse_bools("floor", x)
    return Round.apply(x, mode="floor")


def ceil(x: Any):
    refuse_bools("ceil", x)
    return Round.apply(x, mode="ceil")


def sign(x: Any):
    return Round.apply(x, mode="sign")
