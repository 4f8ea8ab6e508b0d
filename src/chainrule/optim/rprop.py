"""Rprop (Riedmiller and Braun, 1993): only the gradient's sign is used; each coordinate's step
grows while the sign holds and shrinks when it flips. Meant for full-batch training."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .hyperparameters import implementation_options
from .optimizer import Optimizer


class Rprop(Optimizer):
    """s <- clip(s * (etaplus if g g_prev > 0, etaminus if < 0, else 1), *step_sizes);
    where the sign flipped, g is taken as 0 (no move, and no flip seen next step);
    p <- p - sign(g) s. The step sizes s start at lr."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50),
        *,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        options = implementation_options(
            "Rprop", foreach, capturable=capturable, differentiable=differentiable
        )
        super().__init__(
            params,
            dict(
                lr=lr,
                etas=tuple(etas) if isinstance(etas, list) else etas,
                step_sizes=tuple(step_sizes) if isinstance(step_sizes, list) else step_sizes,
                maximize=maximize,
                **options,
            ),
        )

    def _state_spec(self, group: dict[str, Any]) -> dict[str, str]:
        return {"step": "step", "prev": "array", "step_size": "array"}

    def _update(self, param, grad, state, group):
        (etaminus, etaplus), (smallest, largest) = group["etas"], group["step_sizes"]
        if group["maximize"]:
            grad = -grad
        if not state:
            state["step"] = 0
            state["prev"] = np.zeros_like(param._data)
            state["step_size"] = np.full_like(param._data, group["lr"])
        state["step"] += 1
        product = grad * state["prev"]
        flipped = product < 0
        # the etas rounded into the parameter's dtype, as torch writes them into its sign tensor
        factor = np.where(product > 0, param.dtype.type(etaplus), param.dtype.type(1))
        factor[flipped] = etaminus
        step_size = state["step_size"]
        step_size *= factor
        np.clip(step_size, smallest, largest, out=step_size)
        grad = np.array(grad, copy=True)
        grad[flipped] = 0
        # torch's sign(NaN) is 0: a NaN gradient leaves the weight (np.where, not an item
        # assignment: np.sign of a 0-d parameter's gradient is a NumPy scalar)
        moves = np.sign(np.where(np.isnan(grad), 0, grad))
        param._data -= moves * step_size
        state["prev"][...] = grad
