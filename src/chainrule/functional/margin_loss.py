"""torch.nn.functional's margin and ranking losses, soft-margin losses and poisson_nll_loss,
composed from existing ops with torch's formulas (so autograd chains their derivatives and
none is written here): margin_ranking, hinge_embedding, soft_margin, cosine_embedding,
triplet_margin, multilabel_soft_margin, multi_margin, poisson_nll."""

from __future__ import annotations

import math
from typing import Any

from .._checks import check_tensor, fail_shape, fail_value, shape_str
from ..autograd.factories import arange, zeros_like
from .activation import softplus
from .activation_composed import logsigmoid
from .loss_reduction import check_reduction
from .selection import where
from .similarity import pairwise_distance


def _reduce(who: str, loss: Any, reduction: str):
    check_reduction(who, reduction)
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()


def _same_shape(who: str, *tensors: Any) -> None:
    shapes = [tuple(t.shape) for t in tensors]
    if len(set(shapes)) > 1:
        fail_shape(who, "inputs of one shape", " and ".join(shape_str(s) for s in shapes))


def margin_ranking_loss(input1: Any, input2: Any, target: Any, margin: float = 0.0,
                        size_average: Any = None, reduce: Any = None, reduction: str = "mean"):  # fmt: skip
    """L = max(0, -y (x1 - x2) + margin), y = 1 when x1 should rank higher, -1 otherwise."""
    check_tensor("margin_ranking_loss", input1)
    _same_shape("margin_ranking_loss", input1, input2, target)
    loss = (-target * (input1 - input2) + margin).clamp(min=0)
    return _reduce("margin_ranking_loss", loss, reduction)


def hinge_embedding_loss(input: Any, target: Any, margin: float = 1.0,  # noqa: A002
                         size_average: Any = None, reduce: Any = None, reduction: str = "mean"):  # fmt: skip
    """L = x where y = 1, max(0, margin - x) where y = -1 (torch adds both terms for other y)."""
    check_tensor("hinge_embedding_loss", input)
    zeros = zeros_like(input.detach())
    below = where(target != 1, (margin - input).clamp(min=0), zeros)
    above = where(target != -1, input, zeros)
    return _reduce("hinge_embedding_loss", below + above, reduction)


def soft_margin_loss(input: Any, target: Any, size_average: Any = None,  # noqa: A002
                     reduce: Any = None, reduction: str = "mean"):  # fmt: skip
    """L = log(1 + exp(-y x)), a smooth hinge for labels y in {-1, 1}."""
    check_tensor("soft_margin_loss", input)
    _same_shape("soft_margin_loss", input, target)
    return _reduce("soft_margin_loss", softplus(-target * input), reduction)


def cosine_embedding_loss(input1: Any, input2: Any, target: Any, margin: float = 0.0,
                          size_average: Any = None, reduce: Any = None, reduction: str = "mean"):  # fmt: skip
    """L = 1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1.

    cos adds 1e-12 to each squared norm, as torch, so a zero vector gives cos 0, not NaN."""
    who = "cosine_embedding_loss"
    check_tensor(who, input1)
    if input1.ndim not in (1, 2) or tuple(input1.shape) != tuple(input2.shape):
        fail_shape(who, "two inputs of one shape (N, D) or (D,)",
                   f"{shape_str(tuple(input1.shape))} and {shape_str(tuple(input2.shape))}")  # fmt: skip
    target_ndim = getattr(target, "ndim", 0)
    if target_ndim != input1.ndim - 1:  # torch: a 0-d target for (D,) inputs, (N,) for (N, D)
        fail_shape(who, f"a target of {input1.ndim - 1} dimension(s) for inputs of shape "
                   f"{shape_str(tuple(input1.shape))}", shape_str(tuple(getattr(target, "shape", ()))))  # fmt: skip
    dim = input1.ndim - 1
    dot = (input1 * input2).sum(dim)
    denominator = (
        ((input1 * input1).sum(dim) + 1e-12) * ((input2 * input2).sum(dim) + 1e-12)
    ).sqrt()
    cos = dot / denominator
    zeros = zeros_like(cos.detach())
    loss = where(target == 1, 1 - cos, zeros) + where(
        target == -1, (cos - margin).clamp(min=0), zeros
    )
    return _reduce(who, loss, reduction)


def triplet_margin_loss(anchor: Any, positive: Any, negative: Any, margin: float = 1.0,
                        p: float = 2.0, eps: float = 1e-6, swap: bool = False,
                        size_average: Any = None, reduce: Any = None, reduction: str = "mean"):  # fmt: skip
    """L = max(0, d(a, p) - d(a, n) + margin) with d pairwise_distance; ``swap`` uses the
    nearer of d(a, n) and d(p, n) (Balntas et al.)."""
    who = "triplet_margin_loss"
    check_tensor(who, anchor)
    if anchor.ndim not in (1, 2):
        fail_shape(who, "inputs of shape (N, D) or (D,)", shape_str(tuple(anchor.shape)))
    _same_shape(who, anchor, positive, negative)
    if margin <= 0:
        fail_value(who, "margin > 0", repr(margin))
    to_positive = pairwise_distance(anchor, positive, p, eps)
    to_negative = pairwise_distance(anchor, negative, p, eps)
    if swap:
        to_negative = to_negative.minimum(pairwise_distance(positive, negative, p, eps))
    return _reduce(who, (margin + to_positive - to_negative).clamp(min=0), reduction)


def multilabel_soft_margin_loss(input: Any, target: Any, weight: Any = None,  # noqa: A002
                                size_average: Any = None, reduce: Any = None, reduction: str = "mean"):  # fmt: skip
    """Per sample, the mean over classes of -(y log sigmoid(x) + (1 - y) log sigmoid(-x))."""
    who = "multilabel_soft_margin_loss"
    check_tensor(who, input)
    _same_shape(who, input, target)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    return _reduce(who, loss.sum(-1) / input.shape[-1], reduction)


def multi_margin_loss(input: Any, target: Any, p: int = 1, margin: float = 1.0,  # noqa: A002
                      weight: Any = None, size_average: Any = None, reduce: Any = None,
                      reduction: str = "mean"):  # fmt: skip
    """Per sample, sum over classes j != y of max(0, margin - x[y] + x[j]) ** p, over C."""
    who = "multi_margin_loss"
    check_tensor(who, input)
    if p not in (1, 2):
        fail_value(who, "p of 1 or 2", repr(p))
    if input.ndim not in (1, 2):
        fail_shape(who, "inputs of shape (N, C) or (C,)", shape_str(tuple(input.shape)))
    scores = input if input.ndim == 2 else input.unsqueeze(0)
    labels = target.reshape(-1, 1)
    if labels.shape[0] != scores.shape[0]:
        fail_shape(who, f"{scores.shape[0]} targets", shape_str(tuple(target.shape)))
    chosen = scores.gather(1, labels)
    hinge = (margin - chosen + scores).clamp(min=0)
    if p == 2:
        hinge = hinge * hinge
    if weight is not None:
        hinge = hinge * weight[labels]
    columns = arange(scores.shape[1]).reshape(1, -1)
    others = labels != columns  # the target's own column contributes nothing
    loss = where(others, hinge, zeros_like(hinge.detach())).sum(1) / scores.shape[1]
    return _reduce(who, loss if input.ndim == 2 else loss.reshape(()), reduction)


def poisson_nll_loss(input: Any, target: Any, log_input: bool = True, full: bool = False,  # noqa: A002
                     size_average: Any = None, eps: float = 1e-8, reduce: Any = None,
                     reduction: str = "mean"):  # fmt: skip
    """L = exp(x) - y x (x a log-rate), or x - y log(x + eps) (x a rate); ``full`` adds the
    Stirling term y log y - y + log(2 pi y) / 2 where y > 1."""
    who = "poisson_nll_loss"
    check_tensor(who, input)
    loss = input.exp() - target * input if log_input else input - target * (input + eps).log()
    if full:
        safe = where(target > 1, target, target.detach() * 0 + 2)  # a log of 2: never NaN
        stirling = safe * safe.log() - safe + 0.5 * (2 * math.pi * safe).log()
        loss = loss + where(target > 1, stirling, zeros_like(stirling.detach()))
    return _reduce(who, loss, reduction)
