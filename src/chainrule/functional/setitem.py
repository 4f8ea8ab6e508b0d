"""x[index] = value as an op: the gradient of x is zero where it was overwritten."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function, unbroadcast
from ..errors import ShapeError
from .shape import _plain_index


class SetItem(Function):
    """y = x with y[index] = v; dx = dy outside index, 0 inside; dv = dy[index] summed to v's
    shape."""

    op = "setitem"

    integer_ok = True

    @staticmethod
    def forward(ctx, x, value, index):
        y = x.copy()
        try:
            y[index] = value
        except (ValueError, IndexError) as error:
            raise ShapeError(
                f"__setitem__: expected a value that fits x[{_show(index)}] of a tensor "
                f"of shape {x.shape}, got {error}."
            ) from None
        ctx.save(index=index, value_shape=np.shape(value))
        return y

    @staticmethod
    def backward(ctx, grad_y):
        grad_x = None
        if ctx.needs_input_grad[0]:
            grad_x = grad_y.copy()
            grad_x[ctx.index] = 0
        grad_value = None
        if ctx.needs_input_grad[1]:
            grad_value = unbroadcast(grad_y[ctx.index], ctx.value_shape)
        return grad_x, grad_value


def _show(index: Any) -> str:
    return ", ".join(map(repr, index)) if isinstance(index, tuple) else repr(index)


def setitem(x: Any, index: Any, value: Any):
    """A copy of x with x[index] = value (x[index] = v on a tensor calls this in place)."""
    return SetItem.apply(x, value, index=_plain_index(index))
