"""Adagrad (Duchi et al., 2011): per-coordinate steps shrinking with the summed squared gradient."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .hyperparameters import implementation_options
from .optimizer import Optimizer


class Adagrad(Optimizer):
    """s <- s + g^2;  p <- p - lr_t g / (sqrt(s) + eps),  lr_t = lr / (1 + (t - 1) lr_decay)."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        options = implementation_options("Adagrad", foreach, fused, differentiable=differentiable)
        super().__init__(
            params,
            dict(
                lr=lr,
                lr_decay=lr_decay,
                weight_decay=weight_decay,
                initial_accumulator_value=initial_accumulator_value,
                eps=eps,
                maximize=maximize,
                **options,
            ),
        )

    def _state_spec(self, group: dict[str, Any]) -> dict[str, str]:
        return {"step": "step", "sum": "array"}

    def _update(self, param, grad, state, group):
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param._data
        if not state:
            state["step"] = 0
            state["sum"] = np.full_like(param._data, group["initial_accumulator_value"])
        state["step"] += 1
        step_size = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        state["sum"] += grad * grad
        param._data -= step_size * grad / (np.sqrt(state["sum"]) + group["eps"])
