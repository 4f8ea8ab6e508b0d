"""Similarities, distances and the losses built on them (torch.nn.functional's normalize,
cosine_similarity, pairwise_distance, smooth_l1_loss, kl_div and gaussian_nll_loss, and
torch.cdist): compositions of existing ops, so autograd chains their derivatives and none is
written here."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._checks import fail_shape, fail_value, shape_str
from ..autograd.factories import ones_like, zeros_like
from ..cpugraph.capture import record_call
from .loss_reduction import check_reduction, legacy_reduction
from .regression_loss import huber_loss, l1_loss
from .selection import where


def _clamped_norm(x: Any, p: float, dim: int, eps: float):
    """max(||x||_p, eps) along dim; no gradient flows where the clamp holds (torch's clamp_min).
    Branch-free, as torch: a CPUGraph replay clamps rows that were not small at capture."""
    return x.norm(p, dim, keepdim=True).clamp(min=eps)


def p_norm(x: Any, p: float, dim: Any, keepdim: bool):
    """(sum |x|^p)^(1/p) for a p other than 0, 1, 2 and inf (Tensor.norm's general case), with
    torch's gradient 0 at a zero vector, where the root's own derivative is infinite."""
    total = (x.abs() ** p).sum(dim, keepdim)
    nonzero = total.detach() > 0
    root = where(nonzero, total, ones_like(total.detach())) ** (1.0 / p)
    return where(nonzero, root, zeros_like(total.detach()))


def normalize(input: Any, p: float = 2.0, dim: int = 1, eps: float = 1e-12):  # noqa: A002
    """x / max(||x||_p, eps) along ``dim``."""
    return input / _clamped_norm(input, p, dim, eps)


def cosine_similarity(x1: Any, x2: Any, dim: int = 1, eps: float = 1e-8):
    """sum(x1 * x2) / (max(||x1||, eps) * max(||x2||, eps)) along ``dim`` (torch 2's formula)."""
    return ((x1 / _floored_norm(x1, dim, eps)) * (x2 / _floored_norm(x2, dim, eps))).sum(dim)


def _floored_norm(x: Any, dim: int, eps: float):
    """max(||x||, eps) in value, with the gradient of ||x|| itself: torch clamps the norm in
    place under no_grad, so below eps its gradient is the unclamped norm's, not clamp's 0."""
    norm = x.norm(2, dim, keepdim=True)
    return norm + (norm.detach().clamp(min=eps) - norm.detach())


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
    reduction = legacy_reduction(size_average, reduce, reduction)
    if beta < 0:
        fail_value("smooth_l1_loss", "beta >= 0", repr(beta))
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
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
    reduction = legacy_reduction(size_average, reduce, reduction)
    if reduction != "batchmean":
        check_reduction("kl_div", reduction)
    if log_target:
        pointwise = target.exp() * (target - input)
    else:
        # recorded, so a CPUGraph replay takes each batch's log and mask
        safe_log = record_call(_safe_log, target._data)
        pointwise = target * (target._wrap(safe_log) - input)
        pointwise = pointwise.masked_fill(
            target._wrap(record_call(_zero_target, target._data)), 0.0
        )
    if reduction == "none":
        return pointwise
    if reduction == "batchmean":
        return pointwise.sum() / (input.shape[0] if input.ndim else 1)
    return pointwise.sum() if reduction == "sum" else pointwise.mean()


def _safe_log(target: np.ndarray) -> np.ndarray:
    # xlogy: 0 log 0 = 0; a negative or NaN target stays NaN, as torch's loss is then
    with np.errstate(invalid="ignore"):
        return np.log(np.where(target == 0, 1.0, target)).astype(target.dtype)


def _zero_target(target: np.ndarray) -> np.ndarray:
    """Where the pointwise term is 0 whatever the input (0 log 0 - 0 x)."""
    return target == 0


def cdist(x1: Any, x2: Any, p: float = 2.0, compute_mode: str | None = None):
    """||x1[..., i, :] - x2[..., j, :]||_p for every pair: (..., P, M) and (..., R, M) give
    (..., P, R), as torch.cdist. Computed from the differences themselves (torch's mm shortcut
    for p = 2 trades accuracy for speed on large inputs); no gradient where a distance is 0."""
    if x1.ndim < 2 or x2.ndim < 2 or x1.shape[-1] != x2.shape[-1]:
        fail_shape(
            "cdist",
            "x1 of shape (..., P, M) and x2 of shape (..., R, M), with the same M",
            f"{shape_str(x1.shape)} and {shape_str(x2.shape)}",
        )
    if not (isinstance(p, (int, float)) and p >= 0 and not math.isnan(p)):
        fail_value("cdist", "p >= 0", repr(p))  # 0 counts the differing coordinates, inf the max
    gaps = (x1.unsqueeze(-2) - x2.unsqueeze(-3)).abs()
    if p != float("inf"):
        return gaps.norm(p, -1)
    # torch's cdist gives each tied coordinate the whole gradient (norm's inf shares it): the
    # sum over the ties, less the copies beyond one (constants), is the max with that gradient
    top = gaps.detach().amax(-1, keepdim=True)
    ties = gaps.detach() == top
    return (gaps * ties).sum(-1) - (ties.sum(-1) - 1) * top.squeeze(-1)


def _check_variance(var: np.ndarray) -> None:
    if (var < 0).any():
        fail_value("gaussian_nll_loss", "var with entries >= 0", "a negative entry")


def gaussian_nll_loss(
    input: Any,  # noqa: A002
    target: Any,
    var: Any,
    full: bool = False,
    eps: float = 1e-6,
    reduction: str = "mean",
):
    """0.5 (log var + (input - target)^2 / var), plus 0.5 log(2 pi) if ``full``: the negative
    log-likelihood of ``target`` under N(input, var). ``var`` may drop input's last dimension
    or have size 1 in one dimension (one variance shared, as torch). It is clamped below at
    ``eps`` for the value only: the gradient passes the clamp, as torch's no_grad clamp_."""
    check_reduction("gaussian_nll_loss", reduction)
    if isinstance(var, (int, float)):
        if var < 0:
            fail_value("gaussian_nll_loss", "var >= 0", repr(var))
        var = input.detach() * 0 + float(var)
    else:  # recorded: a CPUGraph replay checks each batch's variances too
        record_call(_check_variance, var._data)
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)
        elif not (
            var.ndim == input.ndim and sum(v for i, v in zip(input.shape, var.shape) if i != v) == 1
        ):
            fail_shape(
                "gaussian_nll_loss",
                f"var of input's shape {shape_str(input.shape)}, or that shape without its "
                f"last dimension or with one dimension of size 1",
                shape_str(var.shape),
            )
    var = var + (var.detach().clamp(min=eps) - var.detach())
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss
