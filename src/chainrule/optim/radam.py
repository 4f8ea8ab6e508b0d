"""RAdam (Liu et al., 2020): Adam with the variance of its adaptive rate rectified, so the first
steps need no warm-up."""

from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np

from .adam_family import adam_defaults, adam_inputs
from .hyperparameters import NOT_TORCHS
from .optimizer import Optimizer, advance


class RAdam(Optimizer):
    """Adam's m and v; rho_t = rho_inf - 2 t b2^t / (1 - b2^t), rho_inf = 2 / (1 - b2) - 1.
    While rho_t <= 5 the step is SGD with momentum, p <- p - lr m / (1 - b1^t); after it,
    Adam's step times the rectification r_t = sqrt((rho_t-4)(rho_t-2) rho_inf /
    ((rho_inf-4)(rho_inf-2) rho_t)). decoupled_weight_decay=True decays the weights as AdamW.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        switches = (foreach, NOT_TORCHS, capturable, differentiable)
        defaults = adam_defaults(
            "RAdam", lr, betas, eps, weight_decay, switches,
            maximize=maximize, decoupled_weight_decay=decoupled_weight_decay,
        )  # fmt: skip
        super().__init__(params, defaults)

    def _state_spec(self, group: dict[str, Any]) -> dict[str, str]:
        return {"step": "step", "exp_avg": "array", "exp_avg_sq": "array"}

    def _update(self, param, grad, state, group):
        lr, beta1, beta2, eps, grad = adam_inputs(param, grad, group)
        t = advance(state, param, "exp_avg", "exp_avg_sq")
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m += (grad - m) * (1 - beta1)
        v *= beta2
        v += (1 - beta2) * grad * grad
        corrected = m / (1 - beta1**t)
        correction2 = 1 - beta2**t
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * t * beta2**t / correction2
        if rho_t > 5.0:
            rect = math.sqrt(
                (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
            )
            adaptive = math.sqrt(correction2) / (np.sqrt(v) + eps)
            param._data -= corrected * lr * adaptive * rect
        else:
            param._data -= corrected * lr
