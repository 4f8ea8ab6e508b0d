"""Adam and AdamW (Kingma and Ba, 2015; Loshchilov and Hutter, 2019)."""

from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np

from .optimizer import Optimizer


class Adam(Optimizer):
    """m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
    p <- p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).

    weight_decay adds wd p to the gradient (L2); AdamW decays the weights directly instead.
    """

    decoupled = False

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        betas = (
            tuple(betas) if isinstance(betas, (tuple, list)) else betas
        )  # the rule names a bare 0.9
        super().__init__(
            params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
        )

    def _state_spec(self, group: dict[str, Any]) -> dict[str, str]:
        spec = {"step": "step", "exp_avg": "array", "exp_avg_sq": "array"}
        if group["amsgrad"]:
            spec["max_exp_avg_sq"] = "array"
        return spec

    def _update(self, param, grad, state, group):
        lr, (beta1, beta2), eps, decay = (
            group["lr"],
            group["betas"],
            group["eps"],
            group["weight_decay"],
        )
        if decay:
            if self.decoupled:
                param._data *= 1 - lr * decay
            else:
                grad = grad + decay * param._data
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(param._data)
            state["exp_avg_sq"] = np.zeros_like(param._data)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(param._data)
        state["step"] += 1
        t = state["step"]
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        if group["amsgrad"]:
            np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
            v = state["max_exp_avg_sq"]
        denominator = np.sqrt(v) / math.sqrt(1 - beta2**t) + eps
        param._data -= (lr / (1 - beta1**t)) * m / denominator


class AdamW(Adam):
    """Adam with decoupled weight decay: p <- p (1 - lr wd) before the Adam step."""

    decoupled = True

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)
