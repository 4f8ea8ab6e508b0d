"""Averaged SGD (Polyak and Juditsky, 1992): plain SGD steps with a running average of the
iterates kept in ``state["ax"]``, the average being the estimate to evaluate."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ..dtypes import get_default_dtype
from .hyperparameters import implementation_options
from .optimizer import Optimizer


class ASGD(Optimizer):
    """p <- p (1 - lambd eta) - eta g;  ax <- ax + mu (p - ax);
    then eta = lr / (1 + lambd lr t)^alpha and mu = 1 / max(1, t - t0) for the next step.

    eta and mu are scalars of the default dtype, as torch keeps them (0-d tensors), so float32
    training rounds them where torch does. Averaging starts after t0 steps.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        options = implementation_options(
            "ASGD", foreach, capturable=capturable, differentiable=differentiable
        )
        super().__init__(
            params,
            dict(
                lr=lr,
                lambd=lambd,
                alpha=alpha,
                t0=t0,
                weight_decay=weight_decay,
                maximize=maximize,
                **options,
            ),
        )

    def _state_spec(self, group: dict[str, Any]) -> dict[str, str]:
        return {"step": "step", "eta": "scalar", "mu": "scalar", "ax": "array"}

    def _update(self, param, grad, state, group):
        lr, lambd, decay = group["lr"], group["lambd"], group["weight_decay"]
        if group["maximize"]:
            grad = -grad
        scalar = get_default_dtype().type
        if not state:
            state["step"] = 0
            state["eta"] = scalar(lr)
            state["mu"] = scalar(1.0)
            state["ax"] = np.zeros_like(param._data)
        state["step"] += 1
        if decay:
            grad = grad + decay * param._data
        eta = float(state["eta"])
        param._data *= 1 - lambd * eta
        param._data -= eta * grad
        ax = state["ax"]
        if float(state["mu"]) != 1:
            ax += (param._data - ax) * float(state["mu"])
        else:
            ax[...] = param._data
        t = state["step"]
        state["eta"] = scalar(lr / ((1 + lambd * lr * t) ** group["alpha"]))
        state["mu"] = scalar(1 / max(1, t - group["t0"]))
