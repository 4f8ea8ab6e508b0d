"""RMSprop (Hinton's lecture 6e), with torch's centered and momentum options."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .hyperparameters import implementation_options
from .optimizer import Optimizer


class RMSprop(Optimizer):
    """s <- alpha s + (1 - alpha) g^2;  p <- p - lr g / (sqrt(s - mean_g^2 if centered) + eps)."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        options = implementation_options(
            "RMSprop", foreach, capturable=capturable, differentiable=differentiable
        )
        super().__init__(
            params,
            dict(
                lr=lr,
                alpha=alpha,
                eps=eps,
                weight_decay=weight_decay,
                momentum=momentum,
                centered=centered,
                maximize=maximize,
                **options,
            ),
        )

    def _state_spec(self, group: dict[str, Any]) -> dict[str, str]:
        spec = {"step": "step", "square_avg": "array"}
        if group["momentum"]:
            spec["momentum_buffer"] = "array"
        if group["centered"]:
            spec["grad_avg"] = "array"
        return spec

    def _update(self, param, grad, state, group):
        alpha, eps, decay, momentum = (
            group["alpha"],
            group["eps"],
            group["weight_decay"],
            group["momentum"],
        )
        if group["maximize"]:
            grad = -grad
        if decay:
            grad = grad + decay * param._data
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(param._data)
            if momentum:
                state["momentum_buffer"] = np.zeros_like(param._data)
            if group["centered"]:
                state["grad_avg"] = np.zeros_like(param._data)
        state["step"] += 1
        square = state["square_avg"]
        square *= alpha
        square += (1 - alpha) * grad * grad
        if group["centered"]:
            mean = state["grad_avg"]
            mean *= alpha
            mean += (1 - alpha) * grad
            average = np.sqrt(square - mean * mean) + eps
        else:
            average = np.sqrt(square) + eps
        if momentum:
            buffer = state["momentum_buffer"]
            buffer *= momentum
            buffer += grad / average
            param._data -= group["lr"] * buffer
        else:
            param._data -= group["lr"] * grad / average
