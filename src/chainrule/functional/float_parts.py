"""torch.frexp, a float split into mantissa and power of two, and torch.msort, a sort along the
first dimension (a sort's values, which carry the gradient as sort does)."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ..autograd.function import Function
from ..errors import DTypeError
from .sorting import _tensor

FrexpResult = namedtuple("FrexpResult", ["mantissa", "exponent"])


class FrexpMantissa(Function):
    """m with x = m 2^e, 0.5 <= |m| < 1 (0 at 0); dm/dx = 2^-e, e held fixed."""

    @staticmethod
    def forward(ctx, x):
        mantissa, exponent = np.frexp(x)
        ctx.save(exponent=exponent, dtype=x.dtype)
        return mantissa.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * np.ldexp(np.ones((), ctx.dtype), -ctx.exponent).astype(ctx.dtype)


def frexp(input: Any) -> FrexpResult:  # noqa: A002
    """(mantissa, exponent) with input = mantissa * 2 ** exponent, exponent int32, as torch."""
    from ..autograd.tensor import Tensor
    from ..cpugraph.capture import record_call

    x = _tensor(input)
    if x.dtype.kind != "f":
        raise DTypeError(f"frexp: expected a floating-point input, got dtype {x.dtype}.")
    exponent = record_call(_exponent, x._data)
    return FrexpResult(FrexpMantissa.apply(x), Tensor._wrap(exponent))


def _exponent(x: np.ndarray) -> np.ndarray:
    return np.frexp(x)[1].astype(np.int32, copy=False)


def msort(input: Any):  # noqa: A002
    """input sorted along dim 0, ascending (torch.msort)."""
    return _tensor(input).sort(dim=0).values
