"""NAdam (Dozat, 2016): Adam whose first moment looks one step ahead, as Nesterov momentum does."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ..dtypes import get_default_dtype
from .adam_family import adam_defaults, adam_inputs
from .hyperparameters import NOT_TORCHS
from .optimizer import Optimizer


class NAdam(Optimizer):
    """mu_t = b1 (1 - 0.96^(t psi) / 2), psi = momentum_decay; with Adam's m and v,
    p <- p - lr (1 - mu_t) / (1 - prod mu) g / d - lr mu_{t+1} / (1 - prod mu mu_{t+1}) m / d,
    d = sqrt(v / (1 - b2^t)) + eps.

    mu_product is a scalar of the default dtype, as torch keeps it (a 0-d tensor), so float32
    training rounds it where torch does. decoupled_weight_decay=True decays the weights as AdamW.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        switches = (foreach, NOT_TORCHS, capturable, differentiable)
        defaults = adam_defaults(
            "NAdam", lr, betas, eps, weight_decay, switches, momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay, maximize=maximize,
        )  # fmt: skip
        super().__init__(params, defaults)

    def _state_spec(self, group: dict[str, Any]) -> dict[str, str]:
        return {"step": "step", "mu_product": "scalar", "exp_avg": "array", "exp_avg_sq": "array"}

    def _update(self, param, grad, state, group):
        lr, beta1, beta2, eps, grad = adam_inputs(param, grad, group)
        if not state:
            state["step"] = 0
            state["mu_product"] = get_default_dtype().type(1.0)
            state["exp_avg"] = np.zeros_like(param._data)
            state["exp_avg_sq"] = np.zeros_like(param._data)
        state["step"] += 1
        t = state["step"]
        psi = group["momentum_decay"]
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
        state["mu_product"] = state["mu_product"] * mu  # in the scalar's dtype, as torch's *=
        product = float(state["mu_product"])
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m += (grad - m) * (1 - beta1)
        v *= beta2
        v += (1 - beta2) * grad * grad
        denominator = np.sqrt(v / (1 - beta2**t)) + eps
        param._data -= (grad / denominator) * (lr * (1.0 - mu) / (1.0 - product))
        param._data -= (m / denominator) * (lr * mu_next / (1.0 - product * mu_next))
