"""x[index] = value as an op: the gradient of x is zero where it was overwritten."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_fits, refuse_sequence
from ..autograd.function import Function, unbroadcast
from ..errors import DimError, ShapeError
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
        except IndexError as error:  # out of range: an IndexError in torch too
            raise DimError(
                f"__setitem__: expected an index into shape {x.shape}, got {error}."
            ) from None
        except ValueError as error:
            trimmed = _without_leading_ones(np.shape(value), np.shape(y[index]))
            if trimmed is None:
                raise ShapeError(
                    f"__setitem__: expected a value that fits x[{_show(index)}] of a tensor "
                    f"of shape {x.shape}, got {error}."
                ) from None
            y[index] = np.reshape(value, trimmed)  # torch drops them; NumPy refuses
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
            grad = grad_y[ctx.index]
            trimmed = ctx.value_shape[max(len(ctx.value_shape) - grad.ndim, 0) :]
            grad_value = unbroadcast(grad, trimmed).reshape(ctx.value_shape)
        return grad_x, grad_value


def _show(index: Any) -> str:
    return ", ".join(map(repr, index)) if isinstance(index, tuple) else repr(index)


def setitem(x: Any, index: Any, value: Any):
    """A copy of x with x[index] = value (x[index] = v on a tensor calls this in place)."""
    refuse_sequence("Tensor.__setitem__", value, "value")  # torch: can't assign a list
    if not hasattr(value, "shape"):  # a Python number: torch refuses what would wrap
        value = check_fits("__setitem__", value, x.dtype)
    return SetItem.apply(x, value, index=_plain_index(index))


def _without_leading_ones(shape: tuple, target: tuple) -> Any:
    """x[0] = v with v of shape (1, 3) into a (3,) row: torch broadcasts v as if its leading
    size-1 dims were not there. The shape without them, or None if that is not the trouble."""
    extra = len(shape) - len(target)
    if extra <= 0 or any(n != 1 for n in shape[:extra]):
        return None
    fits = all(n in (1, m) for n, m in zip(shape[extra:], target))
    return shape[extra:] if fits else None
