"""torch.distributions.utils: the helpers user code imports (probs <-> logits, clamp_probs)."""

from __future__ import annotations


import numpy as np

from ..autograd.tensor import Tensor
from .distribution import broadcast_all

euler_constant = 0.57721566490153286060  # Gumbel's mean, the entropy of several families


def clamp_probs(probs: Tensor) -> Tensor:
    """Probabilities kept in [eps, 1 - eps], so their logs stay finite."""
    eps = float(np.finfo(probs.dtype).eps)
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs: Tensor, is_binary: bool = False) -> Tensor:
    """log p (categorical) or log p - log(1 - p) (binary), after clamp_probs."""
    clamped = clamp_probs(probs)
    return clamped.log() - (-clamped).log1p() if is_binary else clamped.log()


def logits_to_probs(logits: Tensor, is_binary: bool = False) -> Tensor:
    """sigmoid (binary) or softmax over the last dim (categorical)."""
    return logits.sigmoid() if is_binary else logits.softmax(-1)


__all__ = [
    "broadcast_all",
    "clamp_probs",
    "euler_constant",
    "logits_to_probs",
    "probs_to_logits",
]
