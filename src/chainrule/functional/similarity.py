"""Similarities and the losses built on them (torch.nn.functional's normalize,
cosine_similarity, pairwise_distance, smooth_l1_loss and kl_div): compositions of existing ops,
so autograd chains their derivatives and none is written here."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import fail_value
from ..cpugraph.capture import record_call
from .loss_reduction import check_reduction
from .regression_loss import huber_loss, l1_loss


def _clamped_norm(x: Any, p: float, dim: int, eps: float):
    """max(||x||_p, eps) along dim; no gradient flows where the clamp holds (torch's clamp_min).
    Branch-free, as torch: a CPUGraph replay clamps rows that were not small at capture."""
    return x.norm(p, dim, keepdim=True).clamp(min=eps)


def normalize(input: Any, p: float = 2.0, dim: int = 1, eps: float = 1e-12):  # noqa: A002
    """x / max(||x||_p, eps) along ``dim``."""
    return input / _clamped_norm(input, p, dim, eps)


def cosine_similarity(x1: Any, x2: Any, dim: int = 1, eps: float = 1e-8):
    """sum(x1 * x2) / (max(||x1||, eps) * max(||x2||, eps)) along ``dim`` (torch 2's formula)."""
    return ((x1 / _clamped_norm(x1, 2, dim, eps)) * (x2 / _clamped_norm(x2, 2, dim, eps))).sum(dim)


def pairwise_distance(x1: Any, x2: Any, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False):
    """||x1 - x2 + eps||_p over the last dim, as torch.nn.functional.pairwise_distance."""
    return (x1 - x2 + eps).norm(p, -1, keepdim)


def smooth_l1_loss(
    input: Any,  # noqa: A002
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    beta: float = 1.0,
):
    """0.5 d^2 / beta where |d| < beta, else |d| - beta / 2: Huber's loss divided by beta."""
    if beta < 0:
        fail_value("smooth_l1_loss", "beta >= 0", repr(beta))
    if beta == 0:
        return l1_loss(input, target, reduction)
    return huber_loss(input, target, reduction, beta) / beta


def kl_div(
    input: Any,  # noqa: A002
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    log_target: bool = False,
):
    """KL(target || exp(input)) pointwise: target * (log target - input), 0 where target is 0.
    ``input`` holds log-probabilities; reduction 'batchmean' divides the sum by the batch size
    (the true KL divergence), 'mean' by the number of elements, as torch. Unlike torch, no
    gradient reaches ``target`` through its log (targets are data, in practice)."""
    if reduction != "batchmean":
        check_reduction("kl_div", reduction)
    if log_target:
        pointwise = target.exp() * (target - input)
    else:
        # recorded, so a CPUGraph replay takes each batch's log and mask
        safe_log = record_call(_safe_log, target._data)
        pointwise = target * (target._wrap(safe_log) - input)
        pointwise = pointwise.masked_fill(
            target._wrap(record_call(_not_positive, target._data)), 0.0
        )
    if reduction == "none":
        return pointwise
    if reduction == "batchmean":
        return pointwise.sum() / (input.shape[0] if input.ndim else 1)
    return pointwise.sum() if reduction == "sum" else pointwise.mean()


def _safe_log(target: np.ndarray) -> np.ndarray:
    positive = target > 0
    return np.log(np.where(positive, target, 1.0)).astype(target.dtype)  # xlogy: 0 log 0 = 0


def _not_positive(target: np.ndarray) -> np.ndarray:
    return ~(target > 0)
