"""CrossMapLRN2d: the legacy (Lua torch) local response norm across channels, kept bit-for-bit.

Its forward slides a running sum over the channels, and the slide never drops channel 0 (torch's
``c > pre_pad`` where ``c >= pre_pad`` was meant); its backward is the symmetric-window formula
of the original. Both are written here as torch runs them, so that old models load and train
to the same numbers; LocalResponseNorm is the layer to use in new code.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, fail_shape, shape_str
from ..autograd.function import Function
from .module import Module


class CrossMapLRN(Function):
    """y = x scale^-beta, scale_c = k + alpha / size * (sum of x_j^2 over c's window of channels).

    dL/dx_c = grad_y_c scale_c^-beta
              - 2 alpha beta / size x_c sum over j near c of grad_y_j y_j / scale_j.
    """

    op = "cross_map_lrn2d"

    @staticmethod
    def forward(ctx, x, *, size, alpha, beta, k):
        channels = x.shape[1]
        square = x * x
        pre_pad = int((size - 1) / 2 + 1)
        scale = np.empty_like(x)
        scale[:, 0] = square[:, : min(pre_pad, channels)].sum(axis=1)
        for c in range(1, channels):
            scale[:, c] = scale[:, c - 1]
            if c < channels - pre_pad + 1:
                scale[:, c] += square[:, c + pre_pad - 1]
            if c > pre_pad:
                scale[:, c] -= square[:, c - pre_pad]
        scale = scale * (alpha / size) + k
        y = np.power(scale, -beta) * x
        ctx.save(x=x, y=y, scale=scale, size=size, alpha=alpha, beta=beta)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        x, size = ctx.x, ctx.size
        n, channels = x.shape[:2]
        grad_x = np.power(ctx.scale, -ctx.beta) * grad_y
        offset = int(size - (size - 1) / 2)
        ratio = np.zeros((n, channels + size - 1, *x.shape[2:]), dtype=x.dtype)
        ratio[:, offset : offset + channels] = grad_y * ctx.y / ctx.scale
        accum = ratio[:, : size - 1].sum(axis=1)
        factor = 2 * ctx.alpha * ctx.beta / size
        for c in range(channels):
            accum += ratio[:, c + size - 1]
            grad_x[:, c] -= factor * x[:, c] * accum
            accum -= ratio[:, c]
        return grad_x


class CrossMapLRN2d(Module):
    """torch.nn.CrossMapLRN2d on (N, C, H, W) inputs.

    >>> import chainrule as cr
    >>> cr.nn.CrossMapLRN2d(3)(cr.ones(1, 4, 2, 2)).shape
    chainrule.Size([1, 4, 2, 2])
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input: Any) -> Any:  # noqa: A002
        who = f"CrossMapLRN2d({self.size})"
        check_tensor(who, input)
        if input.ndim != 4:
            fail_shape(who, "a 4-d input (N, C, H, W)", shape_str(input.shape))
        return CrossMapLRN.apply(input, size=self.size, alpha=self.alpha, beta=self.beta, k=self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
