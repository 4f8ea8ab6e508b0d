"""torch.lerp as one Function: composed from where and arithmetic, a NaN or inf in one branch
leaked into the other's gradient (0 * inf), where torch's gradient is plain."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function, unbroadcast
from .bool_kernels import refuse_bools
from .sorting import _tensor


class Lerp(Function):
    """y = a + w (b - a), written from the nearer end as torch (exact at w = 0 and w = 1);
    dy/da = 1 - w, dy/db = w, dy/dw = b - a."""

    @staticmethod
    def forward(ctx, a, b, w=None, weight=None):
        w = np.asarray(weight, a.dtype) if w is None else w
        ctx.save(a=a, b=b, w=w)
        with np.errstate(invalid="ignore", over="ignore"):  # inf - inf is NaN, quietly as torch
            return np.where(w < 0.5, a + w * (b - a), b - (b - a) * (1 - w))

    @staticmethod
    def backward(ctx, grad_y):
        a, b, w = ctx.a, ctx.b, ctx.w
        needs = ctx.needs_input_grad
        with np.errstate(invalid="ignore", over="ignore"):
            grads = [
                unbroadcast(grad_y * (1 - w), a.shape) if needs[0] else None,
                unbroadcast(grad_y * w, b.shape) if needs[1] else None,
            ]
            if len(needs) == 3:
                grads.append(unbroadcast(grad_y * (b - a), w.shape) if needs[2] else None)
        return tuple(grads)


def lerp(input: Any, end: Any, weight: Any):  # noqa: A002
    """input + weight (end - input): torch.lerp, weight a number or a tensor."""
    refuse_bools("lerp", input)
    if isinstance(weight, (int, float)):
        return Lerp.apply(_tensor(input), end, weight=float(weight))
    return Lerp.apply(_tensor(input), end, weight)
