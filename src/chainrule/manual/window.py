"""A Function called by hand: no graph, no Tensor, just its forward and backward.

This is what the notebook's layers do: forward keeps what backward needs, backward applies
the chain rule. Stepping into ``Step.backward`` lands in the Function's own ``backward``,
the formula itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function, quietly
from ..autograd.tensor import Tensor
from ..optim.sgd import SGD


class Step:
    """One call of ``function``: ``forward(*arrays)`` then ``backward(grad)`` on the same ctx."""

    def __init__(self, function: type[Function]) -> None:
        self.function = function
        self.ctx: Function | None = None

    def forward(self, *arrays: np.ndarray, **config: Any) -> np.ndarray:
        ctx = self.function()
        ctx.needs_input_grad = (True,) * len(arrays)
        self.ctx = ctx
        try:
            return self.function.forward(ctx, *arrays, **config)
        except RuntimeWarning:  # only under warnings-as-errors, as Function.apply: quietly
            return quietly(self.function.forward, ctx, *arrays, **config)

    def backward(self, grad: np.ndarray, who: str) -> tuple:
        if self.ctx is None:
            raise RuntimeError(
                f"{who}.backward: expected forward(inputs=...) to have run first, "
                f"got no recorded forward pass."
            )
        try:
            grads = self.function.backward(self.ctx, grad)
        except RuntimeWarning:
            grads = quietly(self.function.backward, self.ctx, grad)
        return grads if isinstance(grads, tuple) else (grads,)


def gradient_descent(value: np.ndarray, grad: np.ndarray | None, alpha: float) -> None:
    """The notebook's update(), value -= alpha * grad in place, by optim.SGD's own rule."""
    if grad is None:
        return
    param = Tensor._wrap(value, True)
    param._grad = grad
    SGD([param], lr=alpha).step()
