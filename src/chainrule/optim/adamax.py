"""Adamax (Kingma and Ba, 2015, section 7): Adam with the infinity norm in place of the squared
average, so one huge gradient bounds the step instead of inflating a square."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .hyperparameters import implementation_options
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
        options = implementation_options(
            "Adamax", foreach, capturable=capturable, differentiable=differentiable
        )
        super().__init__(
            params,
            dict(
                lr=lr,
                betas=tuple(betas) if isinstance(betas, (tuple, list)) else betas,
                eps=eps,
                weight_decay=weight_decay,
                maximize=maximize,
                **options,
            ),
        )

    def _state_spec(self, group: dict[str, Any]) -> dict[str, str]:
        return {"step": "step", "exp_avg": "array", "exp_inf": "array"}

    def _update(self, param, grad, state, group):
        lr, (beta1, beta2), eps, decay = (
            group["lr"],
            group["betas"],
            group["eps"],
            group["weight_decay"],
        )
        if group["maximize"]:
            grad = -grad
        t = advance(state, param, "exp_avg", "exp_inf")
        if decay:
            grad = grad + decay * param._data
        m, u = state["exp_avg"], state["exp_inf"]
        m += (grad - m) * (1 - beta1)
        u *= beta2
        np.maximum(u, np.abs(grad) + eps, out=u)
        param._data -= (m / u) * (lr / (1 - beta1**t))
