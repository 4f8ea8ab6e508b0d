"""Matrix products: 1-D, 2-D and batched, with NumPy's (and torch's) matmul rules."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import shape_str
from ..autograd.function import Function, unbroadcast
from ..errors import ShapeError


class MatMul(Function):
    """y = a @ b; dL/da = dL/dy @ b^T, dL/db = a^T @ dL/dy (batch axes summed back)."""

    op = "matmul"

    integer_ok = True

    @staticmethod
    def forward(ctx, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ShapeError(
                f"matmul: expected tensors with at least one dimension, got {shape_str(a.shape)} "
                f"and {shape_str(b.shape)}.\nHint: use * to multiply by a scalar."
            )
        inner_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
        if a.shape[-1] != inner_b:
            raise ShapeError(
                f"matmul: expected a.shape[-1] == b.shape[{'0' if b.ndim == 1 else '-2'}], got "
                f"{shape_str(a.shape)} @ {shape_str(b.shape)} ({a.shape[-1]} != {inner_b})."
            )
        ctx.save(a=a, b=b)
        try:
            return np.matmul(a, b)
        except ValueError:
            raise ShapeError(
                f"matmul: expected batch dimensions that broadcast, got {shape_str(a.shape)} @ "
                f"{shape_str(b.shape)}."
            ) from None

    @staticmethod
    def backward(ctx, grad_y):
        a, b = ctx.a, ctx.b
        if a.ndim == 2 and b.ndim == 2:  # the common case, without reshaping
            grad_a = grad_y @ b.T if ctx.needs_input_grad[0] else None
            grad_b = a.T @ grad_y if ctx.needs_input_grad[1] else None
            return grad_a, grad_b
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        grad2 = grad_y
        if b.ndim == 1:
            grad2 = np.expand_dims(grad2, -1)
        if a.ndim == 1:
            grad2 = np.expand_dims(grad2, -2)
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_a = unbroadcast(grad2 @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
        if ctx.needs_input_grad[1]:
            grad_b = unbroadcast(np.swapaxes(a2, -1, -2) @ grad2, b2.shape).reshape(b.shape)
        return grad_a, grad_b


def matmul(a: Any, b: Any):
    return MatMul.apply(a, b)
