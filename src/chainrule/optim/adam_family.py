"""What Adam, AdamW, Adamax, RAdam and NAdam share around their own update rules: the group's
hyperparameters as torch stores them, and the gradient each step starts from."""

from __future__ import annotations

from typing import Any

import numpy as np

from .hyperparameters import implementation_options


def adam_defaults(
    who: str,
    lr: float,
    betas: Any,
    eps: float,
    weight_decay: float,
    switches: tuple[Any, Any, Any, bool],
    **more: Any,
) -> dict[str, Any]:
    """lr, betas, eps, weight_decay, then ``more`` in torch's order, then torch's kernel switches
    (foreach, fused, capturable, differentiable: implementation_options)."""
    foreach, fused, capturable, differentiable = switches
    options = implementation_options(who, foreach, fused, capturable, differentiable)
    betas = tuple(betas) if isinstance(betas, (tuple, list)) else betas  # the rule names a bare 0.9
    return dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, **more, **options)


def adam_inputs(param: Any, grad: np.ndarray, group: dict[str, Any]) -> tuple:
    """(lr, beta1, beta2, eps, grad): grad negated under maximize, with weight_decay added as L2,
    or the weights decayed directly (AdamW) where the group has decoupled_weight_decay=True."""
    lr, (beta1, beta2), eps, decay = (
        group["lr"],
        group["betas"],
        group["eps"],
        group["weight_decay"],
    )
    if group["maximize"]:
        grad = -grad
    if decay:
        if group.get("decoupled_weight_decay"):
            param._data *= 1 - lr * decay
        else:
            grad = grad + decay * param._data
    return lr, beta1, beta2, eps, grad
