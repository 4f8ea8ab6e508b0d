"""Adadelta (Zeiler, 2012): each step is scaled by the ratio of running RMS of past updates to
that of gradients, so the units match and lr can stay at 1."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .hyperparameters import implementation_options
from .optimizer import Optimizer


class Adadelta(Optimizer):
    """v <- rho v + (1 - rho) g^2;  dx = sqrt(u + eps) / sqrt(v + eps) g;
    u <- rho u + (1 - rho) dx^2;  p <- p - lr dx."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        options = implementation_options(
            "Adadelta", foreach, capturable=capturable, differentiable=differentiable
        )
        super().__init__(
            params,
            dict(
                lr=lr,
                rho=rho,
                eps=eps,
                weight_decay=weight_decay,
                maximize=maximize,
                **options,
            ),
        )

    def _state_spec(self, group: dict[str, Any]) -> dict[str, str]:
        return {"step": "step", "square_avg": "array", "acc_delta": "array"}

    def _update(self, param, grad, state, group):
        rho, eps, decay = group["rho"], group["eps"], group["weight_decay"]
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(param._data)
            state["acc_delta"] = np.zeros_like(param._data)
        state["step"] += 1
        if group["maximize"]:
            grad = -grad
        if decay:
            grad = grad + decay * param._data
        square, accumulated = state["square_avg"], state["acc_delta"]
        square *= rho
        square += (1 - rho) * grad * grad
        delta = np.sqrt(accumulated + eps) / np.sqrt(square + eps) * grad
        accumulated *= rho
        accumulated += (1 - rho) * delta * delta
        param._data -= group["lr"] * delta
