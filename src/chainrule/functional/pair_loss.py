"""Losses on pairs and triplets of embeddings, as metric learning uses them (torch.nn.functional's
margin_ranking_loss, hinge_embedding_loss, cosine_embedding_loss, triplet_margin_loss).
Compositions of existing ops, each in torch's own formula, so autograd chains the derivatives
and the numbers (epsilons, where the clamps sit) are torch's."""

from __future__ import annotations

from typing import Any

from .._checks import fail_shape, shape_str
from .loss_reduction import check_reduction
from .similarity import pairwise_distance


def _reduced(who: str, loss: Any, reduction: str) -> Any:
    check_reduction(who, reduction)
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()


def margin_ranking_loss(
    input1: Any,
    input2: Any,
    target: Any,
    margin: float = 0.0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
):
    """max(0, -target * (input1 - input2) + margin): target 1 asks input1 to rank higher."""
    if not (input1.ndim == input2.ndim == target.ndim):
        fail_shape(
            "margin_ranking_loss",
            "input1, input2 and target with the same number of dims",
            f"{shape_str(input1.shape)}, {shape_str(input2.shape)} and {shape_str(target.shape)}",
        )
    loss = (-target * (input1 - input2) + margin).clamp_min(0)
    return _reduced("margin_ranking_loss", loss, reduction)


def hinge_embedding_loss(
    input: Any,  # noqa: A002
    target: Any,
    margin: float = 1.0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
):
    """x where target is 1, max(0, margin - x) where it is -1 (x is usually a distance).
    A target that is neither gets both terms, as in torch's formula."""
    zeros = input * 0
    below_margin = (margin - input).clamp_min(0)
    loss = below_margin.where(target != 1, zeros) + input.where(target != -1, zeros)
    return _reduced("hinge_embedding_loss", loss, reduction)


def cosine_embedding_loss(
    input1: Any,
    input2: Any,
    target: Any,
    margin: float = 0.0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
):
    """1 - cos(x1, x2) where target is 1, max(0, cos(x1, x2) - margin) where it is -1; cos over
    the last dim, each squared norm plus 1e-12 (torch's epsilon, not cosine_similarity's)."""
    if not (
        (target.ndim == 1 and input1.ndim == input2.ndim == 2)
        or (target.ndim == 0 and input1.ndim == input2.ndim == 1)
    ):
        fail_shape(
            "cosine_embedding_loss",
            "inputs of shape (N, D) with target (N,), or (D,) with a 0-d target",
            f"{shape_str(input1.shape)}, {shape_str(input2.shape)} and {shape_str(target.shape)}",
        )
    dim = input1.ndim - 1
    product = (input1 * input2).sum(dim)
    norms = (((input1 * input1).sum(dim) + 1e-12) * ((input2 * input2).sum(dim) + 1e-12)).sqrt()
    cos = product / norms
    zeros = cos * 0
    loss = (1 - cos).where(target == 1, zeros) + (cos - margin).clamp_min(0).where(
        target == -1, zeros
    )
    return _reduced("cosine_embedding_loss", loss, reduction)


def triplet_margin_loss(
    anchor: Any,
    positive: Any,
    negative: Any,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
):
    """max(0, d(a, p) - d(a, n) + margin) with d the pairwise p-norm distance; ``swap`` uses
    min(d(a, n), d(p, n)) as the negative distance (Balntas et al., 2016)."""
    if not (anchor.ndim == positive.ndim == negative.ndim) or anchor.ndim not in (1, 2):
        fail_shape(
            "triplet_margin_loss",
            "anchor, positive and negative all of shape (N, D) or all (D,)",
            f"{shape_str(anchor.shape)}, {shape_str(positive.shape)} and "
            f"{shape_str(negative.shape)}",
        )
    d_positive = pairwise_distance(anchor, positive, p, eps)
    d_negative = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_negative = d_negative.minimum(pairwise_distance(positive, negative, p, eps))
    loss = (margin + d_positive - d_negative).clamp_min(0)
    return _reduced("triplet_margin_loss", loss, reduction)
