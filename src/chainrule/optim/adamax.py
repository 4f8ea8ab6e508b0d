"""Adamax (Kingma and Ba, 2015, section 7): Adam with the infinity norm in place of the squared
average, so one huge gradient bounds the step instead of inflating a square."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .adam_family import adam_defaults, adam_inputs
from .hyperparameters import NOT_TORCHS
from .optimizer import Optimizer, advance


class Adamax(Optimizer):
    """m <- b1 m + (1 - b1) g;  u <- max(b2 u, |g| + eps);  p <- p - lr / (1 - b1^t) m / u."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        switches = (foreach, NOT_TORCHS, capturable, differentiable)
        defaults = adam_defaults(
            "Adamax", lr, betas, eps, weight_decay, switches, maximize=maximize
        )
        super().__init__(params, defaults)

    def _state_spec(self, group: dict[str, Any]) -> dict[str, str]:
        return {"step": "step", "exp_avg": "array", "exp_inf": "array"}

    def _update(self, param, grad, state, group):
        lr, beta1, beta2, eps, grad = adam_inputs(param, grad, group)
        t = advance(state, param, "exp_avg", "exp_inf")
        m, u = state["exp_avg"], state["exp_inf"]
        m += (grad - m) * (1 - beta1)
        u *= beta2
        np.maximum(u, np.abs(grad) + eps, out=u)
        param._data -= (m / u) * (lr / (1 - beta1**t))
