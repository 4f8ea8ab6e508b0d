"""torch.nn.functional's margin and ranking losses, and poisson_nll_loss: compositions of
existing ops (clamps, where, softplus, norms), written in torch's own order of operations so
the values and the gradients at the hinges match its; none has a derivative of its own.

Masks that depend only on the targets are computed by ``record_call``, so a CPUGraph replay
recomputes them for each batch.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from .._checks import check_tensor, fail_shape, fail_value, shape_str
from ..cpugraph.capture import record_call
from .activation import softplus
from .activation_composed import logsigmoid
from .loss_reduction import check_reduction, legacy_reduction
from .similarity import pairwise_distance


def _reduce(who: str, loss: Any, reduction: str) -> Any:
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def _begin(who: str, reduction: str, *tensors: Any) -> None:
    check_reduction(who, reduction)
    for name, t in zip(("input", "target", "third"), tensors):
        check_tensor(who, t, name)


def _same(who: str, *tensors: Any) -> None:
    shapes = [tuple(t.shape) for t in tensors]
    if any(s != shapes[0] for s in shapes):
        fail_shape(who, "inputs of one shape", " and ".join(shape_str(s) for s in shapes))


def _mask(target: Any, fn: Callable[[np.ndarray], np.ndarray]) -> Any:
    return target._wrap(record_call(fn, target._data))


def _is_pos(t: np.ndarray) -> np.ndarray:
    return t == 1


def _is_neg(t: np.ndarray) -> np.ndarray:
    return t == -1


def margin_ranking_loss(
    input1: Any,
    input2: Any,
    target: Any,
    margin: float = 0.0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
):
    """max(0, -y (x1 - x2) + margin), y = 1 where x1 should rank higher, -1 where lower."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _begin("margin_ranking_loss", reduction, input1, input2, target)
    if not input1.ndim == input2.ndim == target.ndim:
        _same("margin_ranking_loss", input1, input2, target)
    loss = (-target * (input1 - input2) + margin).clamp_min(0)
    return _reduce("margin_ranking_loss", loss, reduction)


def hinge_embedding_loss(
    input: Any,  # noqa: A002
    target: Any,
    margin: float = 1.0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
):
    """x where y = 1, max(0, margin - x) where y = -1 (x usually a distance between a pair)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _begin("hinge_embedding_loss", reduction, input, target)
    zero = input.detach() * 0
    hinge = (margin - input).clamp_min(0).where(~_mask(target, _is_pos), zero)
    kept = input.where(~_mask(target, _is_neg), zero)
    return _reduce("hinge_embedding_loss", hinge + kept, reduction)


def soft_margin_loss(
    input: Any,  # noqa: A002
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
):
    """log(1 + exp(-y x)), y in {1, -1}: a smooth hinge (softplus keeps large -y x finite)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _begin("soft_margin_loss", reduction, input, target)
    _same("soft_margin_loss", input, target)
    return _reduce("soft_margin_loss", softplus(-input * target), reduction)


def multilabel_soft_margin_loss(
    input: Any,  # noqa: A002
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
):
    """-(y log sigmoid(x) + (1 - y) log sigmoid(-x)), averaged over the C classes of each sample."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _begin("multilabel_soft_margin_loss", reduction, input, target)
    _same("multilabel_soft_margin_loss", input, target)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    classes = input.ndim - 1
    loss = loss.sum(classes) / input.shape[classes]
    return _reduce("multilabel_soft_margin_loss", loss, reduction)


def _cosine(x1: Any, x2: Any, dim: int) -> Any:
    """torch's cosine for this loss: eps 1e-12 added to each squared norm, not clamped."""
    eps = 1e-12
    return (x1 * x2).sum(dim) / (((x1 * x1).sum(dim) + eps) * ((x2 * x2).sum(dim) + eps)).sqrt()


def cosine_embedding_loss(
    input1: Any,
    input2: Any,
    target: Any,
    margin: float = 0.0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
):
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1; rows are pairs."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    who = "cosine_embedding_loss"
    _begin(who, reduction, input1, input2, target)
    if input1.ndim not in (1, 2) or tuple(input1.shape) != tuple(input2.shape):
        fail_shape(
            who,
            "inputs of one shape, (N, D) or (D,)",
            f"{shape_str(input1.shape)} and {shape_str(input2.shape)}",
        )
    if target.ndim != input1.ndim - 1:
        fail_shape(
            who, f"a {input1.ndim - 1}-d target for {input1.ndim}-d inputs", shape_str(target.shape)
        )
    cos = _cosine(input1, input2, input1.ndim - 1)
    zero = cos.detach() * 0
    pos = (1 - cos).where(_mask(target, _is_pos), zero)
    neg = (cos - margin).clamp_min(0).where(_mask(target, _is_neg), zero)
    return _reduce(who, pos + neg, reduction)


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
    """max(0, margin + d(a, p) - d(a, n)), d the p-norm distance (swap: d(a, n) becomes
    min(d(a, n), d(p, n)), the harder negative)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    who = "triplet_margin_loss"
    _begin(who, reduction, anchor, positive, negative)
    if anchor.ndim not in (1, 2):
        fail_shape(who, "inputs of shape (N, D) or (D,)", shape_str(anchor.shape))
    _same(who, anchor, positive, negative)
    if margin <= 0:
        fail_value(who, "margin > 0", repr(margin))
    distance = lambda a, b: pairwise_distance(a, b, p, eps)  # noqa: E731
    return _triplet(who, anchor, positive, negative, distance, margin, swap, reduction)


def _triplet(who, anchor, positive, negative, distance, margin, swap, reduction):
    d_pos, d_neg = distance(anchor, positive), distance(anchor, negative)
    if swap:
        d_neg = d_neg.minimum(distance(positive, negative))
    return _reduce(who, (margin + d_pos - d_neg).clamp_min(0), reduction)


def triplet_margin_with_distance_loss(
    anchor: Any,
    positive: Any,
    negative: Any,
    *,
    distance_function: Callable[[Any, Any], Any] | None = None,
    margin: float = 1.0,
    swap: bool = False,
    reduction: str = "mean",
):
    """triplet_margin_loss with any distance (default: pairwise_distance, the Euclidean one)."""
    who = "triplet_margin_with_distance_loss"
    _begin(who, reduction, anchor, positive, negative)
    if margin <= 0:
        fail_value(who, "margin > 0", repr(margin))
    distance = pairwise_distance if distance_function is None else distance_function
    return _triplet(who, anchor, positive, negative, distance, margin, swap, reduction)


def _class_targets(who: str, input: Any, target: Any) -> np.ndarray:  # noqa: A002
    labels = target._data
    if labels.dtype.kind not in "iu":
        fail_value(who, "integer class targets", f"dtype {labels.dtype}")
    return labels


def multi_margin_loss(
    input: Any,  # noqa: A002
    target: Any,
    p: int = 1,
    margin: float = 1.0,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
):
    """sum over i != y of max(0, margin - x[y] + x[i])^p / C: a multi-class hinge (p 1 or 2),
    each sample's term times weight[y] when given. Input (N, C) or (C,), target (N,) or ()."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    who = "multi_margin_loss"
    _begin(who, reduction, input, target)
    if p not in (1, 2):
        fail_value(who, "p = 1 or 2", repr(p))
    if input.ndim not in (1, 2) or target.ndim != input.ndim - 1:
        fail_shape(
            who,
            "input (N, C) with target (N,), or input (C,) with a 0-d target",
            f"{shape_str(input.shape)} and {shape_str(target.shape)}",
        )
    if input.ndim == 2 and input.shape[0] != target.shape[0]:
        fail_shape(who, f"{input.shape[0]} targets, one per row", shape_str(target.shape))
    labels = _class_targets(who, input, target)
    classes = input.shape[-1]
    record_call(_check_labels, who, labels, classes)
    x = input if input.ndim == 2 else input.unsqueeze(0)
    index = target._wrap(record_call(_column, labels))
    chosen = x.gather(1, index)
    h = (margin - chosen + x).clamp_min(0)
    if p == 2:
        h = h * h
    if weight is not None:
        if tuple(weight.shape) != (classes,):
            fail_shape(
                who, f"a weight of shape ({classes},), one per class", shape_str(weight.shape)
            )
        h = h * weight[index.reshape(-1)].unsqueeze(1)
    off = target._wrap(record_call(_off_target, labels, classes, x.dtype))
    loss = (h * off).sum(1) / classes
    return _reduce(who, loss if input.ndim == 2 else loss.squeeze(0), reduction)


def _check_labels(who: str, labels: np.ndarray, classes: int) -> None:
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        bad = labels[(labels < 0) | (labels >= classes)].flat[0]
        fail_value(who, f"class targets in [0, {classes - 1}]", str(int(bad)))


def _column(labels: np.ndarray) -> np.ndarray:
    return labels.reshape(-1, 1).astype(np.int64)


def _off_target(labels: np.ndarray, classes: int, dtype: Any) -> np.ndarray:
    return (np.arange(classes) != labels.reshape(-1, 1)).astype(dtype)


def multilabel_margin_loss(
    input: Any,  # noqa: A002
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
):
    """sum over targets j and non-targets i of max(0, 1 - (x[j] - x[i])) / C. ``target`` holds
    each sample's class indices, ended by the first -1 (the rest is ignored)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    who = "multilabel_margin_loss"
    _begin(who, reduction, input, target)
    if input.ndim not in (1, 2) or tuple(target.shape) != tuple(input.shape):
        fail_shape(
            who,
            "input and target of one shape, (N, C) or (C,)",
            f"{shape_str(input.shape)} and {shape_str(target.shape)}",
        )
    labels = _class_targets(who, input, target)
    classes = input.shape[-1]
    x = input if input.ndim == 2 else input.unsqueeze(0)
    rows = labels.reshape(-1, classes)
    index = record_call(_label_index, who, rows)
    pairs = record_call(_label_pairs, rows, x.dtype)
    chosen = x.gather(1, target._wrap(index))  # x[j] for each listed target j
    hinge = (1 - chosen.unsqueeze(2) + x.unsqueeze(1)).clamp_min(0)
    loss = (hinge * target._wrap(pairs)).sum((1, 2)) / classes
    return _reduce(who, loss if input.ndim == 2 else loss.squeeze(0), reduction)


def _listed(labels: np.ndarray) -> np.ndarray:
    return np.cumprod(labels >= 0, axis=1).astype(bool)  # up to the first -1


def _label_index(who: str, labels: np.ndarray) -> np.ndarray:
    """Where to gather each listed target's score (0 for the ignored tail)."""
    listed = _listed(labels)
    # torch checks the ignored tail too: a -2 or a C there is a bug in the caller's targets
    bad = (labels < -1) | (labels >= labels.shape[1])
    if bad.any():
        fail_value(who, f"target indices in [-1, {labels.shape[1] - 1}]", str(labels[bad][0]))
    return np.where(listed, labels, 0).astype(np.int64)


def _label_pairs(labels: np.ndarray, dtype: Any) -> np.ndarray:
    """1 for each (listed target j, non-target i) pair the loss sums over, else 0."""
    listed = _listed(labels)
    is_target = np.zeros(labels.shape, bool)
    rows = np.broadcast_to(np.arange(labels.shape[0])[:, None], labels.shape)
    is_target[rows[listed], labels[listed]] = True
    return (listed[:, :, None] & ~is_target[:, None, :]).astype(dtype)


def poisson_nll_loss(
    input: Any,  # noqa: A002
    target: Any,
    log_input: bool = True,
    full: bool = False,
    size_average: Any = None,
    eps: float = 1e-8,
    reduce: Any = None,
    reduction: str = "mean",
):
    """Negative log-likelihood of target ~ Poisson(rate): exp(x) - y x when x is the log-rate
    (``log_input``), else x - y log(x + eps); ``full`` adds Stirling's y log y - y +
    log(2 pi y) / 2 where y > 1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _begin("poisson_nll_loss", reduction, input, target)
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        stirling = target._wrap(record_call(_stirling, target._data))
        loss = loss + stirling
    return _reduce("poisson_nll_loss", loss, reduction)


def _stirling(target: np.ndarray) -> np.ndarray:
    big = target > 1
    safe = np.where(big, target, 1)
    term = safe * np.log(safe) - safe + 0.5 * np.log(2 * math.pi * safe)
    return np.where(big, term, 0).astype(target.dtype)
