"""Elementwise selection and copies: max/min of two tensors, where, clone and dtype casts."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_fits, check_number, shape_str
from ..autograd.function import Function, unbroadcast
from ..errors import DTypeError, ShapeError
from .arithmetic import _broadcast_check


class Maximum(Function):
    """y = max(a, b) elementwise; ties split the gradient in half, as torch.maximum does."""

    integer_ok = True

    @staticmethod
    def forward(ctx, a, b):
        if a.shape != b.shape:
            _broadcast_check("maximum", a, b)
        ctx.save(a=a, b=b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, grad_y):
        return _split_by_winner(ctx, grad_y, ctx.a > ctx.b)


class Minimum(Function):
    """y = min(a, b) elementwise; ties split the gradient in half, as torch.minimum does."""

    integer_ok = True

    @staticmethod
    def forward(ctx, a, b):
        if a.shape != b.shape:
            _broadcast_check("minimum", a, b)
        ctx.save(a=a, b=b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx, grad_y):
        return _split_by_winner(ctx, grad_y, ctx.a < ctx.b)


def _split_by_winner(ctx, grad_y, a_wins):
    a, b = ctx.a, ctx.b
    share_a = np.where(a_wins, 1.0, np.where(a == b, 0.5, 0.0)).astype(grad_y.dtype)
    share_b = 1 - share_a
    nan = np.isnan(a) | np.isnan(b) if a.dtype.kind == "f" else None
    if (
        nan is not None and nan.any()
    ):  # a NaN wins on both sides and takes the whole gradient (torch)
        share_a = np.where(nan, 1, share_a)
        share_b = np.where(nan, 1, share_b)
    grad_a = unbroadcast(grad_y * share_a, a.shape) if ctx.needs_input_grad[0] else None
    grad_b = unbroadcast(grad_y * share_b, b.shape) if ctx.needs_input_grad[1] else None
    return grad_a, grad_b


class Where(Function):
    """y = a where condition else b; the gradient goes to whichever side was chosen."""

    integer_ok = True

    @staticmethod
    def forward(ctx, a, b, condition):
        condition = np.asarray(condition, dtype=bool)
        try:
            np.broadcast_shapes(condition.shape, a.shape, b.shape)
        except ValueError:
            raise ShapeError(
                f"where: expected condition, a and b to broadcast together, got "
                f"{shape_str(condition.shape)}, {shape_str(a.shape)} and {shape_str(b.shape)}."
            ) from None
        ctx.save(condition=condition, shape_a=a.shape, shape_b=b.shape)
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx, grad_y):
        zero = np.zeros((), dtype=grad_y.dtype)
        needs = ctx.needs_input_grad
        grad_a = (
            unbroadcast(np.where(ctx.condition, grad_y, zero), ctx.shape_a) if needs[0] else None
        )
        grad_b = (
            unbroadcast(np.where(ctx.condition, zero, grad_y), ctx.shape_b) if needs[1] else None
        )
        return grad_a, grad_b


class Clone(Function):
    """y = a copy of x; dy/dx = 1."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y


class Cast(Function):
    """y = x converted to another dtype; the gradient is converted back."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.save(dtype_in=x.dtype)
        return x.astype(dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y.astype(ctx.dtype_in)


def maximum(a: Any, b: Any):
    return Maximum.apply(a, b)


def minimum(a: Any, b: Any):
    return Minimum.apply(a, b)


def masked_fill(input: Any, mask: Any, value: Any, who: str = "masked_fill"):  # noqa: A002
    """value where mask is True, input elsewhere, in input's dtype: torch casts a number to it,
    so a bool or int tensor keeps its type."""
    if not hasattr(value, "shape"):
        check_number(who, "value", value)
        value = check_fits(who, value, np.asarray(getattr(input, "_data", input)).dtype)
        # (a Python number again, which the dtype rule reads as the tensor's own kind)
        value = np.asarray(value, dtype=np.asarray(getattr(input, "_data", input)).dtype).item()
    elif getattr(value, "ndim", None) == 0 and value.dtype != getattr(input, "dtype", value.dtype):
        value = value.to(input.dtype)  # a 0-d tensor too takes input's dtype, as in torch
    return where(mask, value, input, who=who)


def where(condition: Any, a: Any, b: Any, *, who: str = "where"):
    """Elementwise choice, like torch.where(condition, a, b); ``who`` names the caller
    (masked_fill) in errors."""
    condition = getattr(condition, "data", condition)
    kind = np.asarray(getattr(condition, "_data", condition)).dtype
    name = "condition" if who == "where" else "mask"
    if kind != np.bool_:  # a float condition would read 0.5 as True without a word
        raise DTypeError(
            f"{who}: expected a bool {name}, got dtype {kind}.\nHint: compare to make one, e.g. x > 0."
        )
    for value in (a, b):  # NumPy would try to parse a string as a float, or compare as text
        check_number(who, "value", value)
    for tensor, number in ((a, b), (b, a)):  # where(c, float32, 1e300) overflows: torch refuses
        if type(number) is float and getattr(tensor, "dtype", None) == np.float32:
            check_fits(who, number, tensor.dtype)
    return Where.apply(a, b, condition=condition)
