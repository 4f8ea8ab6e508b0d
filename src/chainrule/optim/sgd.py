"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .hyperparameters import implementation_options
from .optimizer import Optimizer


class SGD(Optimizer):
    """p <- p - lr * g, where g = grad + wd p, optionally through a momentum buffer b:
    b <- momentum b + (1 - dampening) g; g <- g + momentum b (Nesterov) or b.

    Without momentum this is exactly the notebook's ``theta -= alpha * grad_theta``.

    >>> import chainrule as cr
    >>> w = cr.nn.Parameter([1.0, 2.0])
    >>> optimizer = SGD([w], lr=0.5)
    >>> (w * w).sum().backward()
    >>> optimizer.step()
    >>> w.data
    tensor([0., 0.])
    """

    def _state_spec(self, group: dict[str, Any]) -> dict[str, str]:
        # the buffer starts at the first step with momentum; torch saves None without momentum
        return {"momentum_buffer": "optional array"}

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        options = implementation_options("SGD", foreach, fused, differentiable=differentiable)
        super().__init__(
            params,
            dict(
                lr=lr,
                momentum=momentum,
                dampening=dampening,
                weight_decay=weight_decay,
                nesterov=nesterov,
                maximize=maximize,
                **options,
            ),
        )

    def _update(self, param, grad, state, group):
        lr, momentum, decay = group["lr"], group["momentum"], group["weight_decay"]
        if group["maximize"]:
            grad = -grad
        if decay:
            grad = grad + decay * param._data
        if momentum:
            buffer = state.get("momentum_buffer")
            if buffer is None:
                buffer = state["momentum_buffer"] = np.array(grad, copy=True)
            else:
                buffer *= momentum
                buffer += (1 - group["dampening"]) * grad
            grad = grad + momentum * buffer if group["nesterov"] else buffer
        param._data -= lr * grad
