"""ctc_loss: connectionist temporal classification, the alignment-free sequence loss.

The target l is stretched to l' = (blank, l_1, blank, l_2, ..., l_S, blank); a path through
time may stay on a symbol of l', step to the next, or skip a blank between two different
labels. alpha (forward) and beta (backward) sum the paths' probabilities in log space, all
samples at once, one time step per NumPy pass.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, fail_dtype, fail_shape, fail_value, shape_str
from ..autograd.function import Function
from ..cpugraph.capture import refuse_frozen_target
from .loss_reduction import check_reduction

_NEG_INF = -np.inf


def _logsumexp(*terms: np.ndarray) -> np.ndarray:
    top = np.maximum.reduce(terms)
    safe = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return safe + np.log(sum(np.exp(t - safe) for t in terms))


def _shift(a: np.ndarray, by: int) -> np.ndarray:
    """a[..., s - by] at s (-inf where s < by): the symbol a path arrives from."""
    out = np.full_like(a, _NEG_INF)
    out[..., by:] = a[..., : a.shape[-1] - by]
    return out


def _extended(targets: np.ndarray, target_lengths: np.ndarray, blank: int):
    """l' (N, 2 S + 1), and where a path may skip the blank before s (s - 2 holds another label)."""
    n, longest = targets.shape
    ext = np.full((n, 2 * longest + 1), blank, dtype=np.int64)
    ext[:, 1::2] = targets
    skip = np.zeros(ext.shape, dtype=bool)
    skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    beyond = np.arange(ext.shape[1])[None, :] >= 2 * target_lengths[:, None] + 1
    return ext, skip, beyond


class CTCLoss(Function):
    """nll_n = -log sum over alignments of prod_t p_t(path_t), per sample.

    torch's gradient, which this returns: dL/dlog_probs[t, n, c] = exp(log_probs[t, n, c])
    minus the posterior of c at t, sum over s with l'_s = c of exp(alpha + beta - lp + nll).
    That equals the gradient with respect to the logits when log_probs = log_softmax(logits),
    which is what CTC is trained through.
    """

    op = "ctc_loss"

    @staticmethod
    def forward(ctx, log_probs, *, targets, input_lengths, target_lengths, blank, zero_infinity):
        lp = log_probs.astype(np.float64)
        steps, n, _ = lp.shape
        ext, skip, beyond = _extended(targets, target_lengths, blank)
        # log p_t(l'_s) for every t, n, s
        lp_ext = np.take_along_axis(lp, np.broadcast_to(ext, (steps, *ext.shape)), axis=2)
        alpha = np.full(lp_ext.shape, _NEG_INF)
        alpha[0, :, :2] = lp_ext[0, :, :2]
        alpha[0][beyond] = _NEG_INF
        for t in range(1, steps):
            prev = alpha[t - 1]
            jump = np.where(skip, _shift(prev, 2), _NEG_INF)
            alpha[t] = lp_ext[t] + _logsumexp(prev, _shift(prev, 1), jump)
            alpha[t][beyond] = _NEG_INF
        rows = np.arange(n)
        last = input_lengths - 1
        end = 2 * target_lengths
        final = alpha[last, rows]
        penult = np.where(end > 0, final[rows, np.maximum(end - 1, 0)], _NEG_INF)
        nll = -_logsumexp(final[rows, end], penult)
        infinite = np.isinf(nll)
        if zero_infinity:
            nll = np.where(infinite, 0.0, nll)
        ctx.save(lp=lp, lp_ext=lp_ext, alpha=alpha, ext=ext, skip=skip, beyond=beyond, nll=nll,
                 infinite=infinite, input_lengths=input_lengths, end=end,
                 zero_infinity=zero_infinity, dtype=log_probs.dtype)  # fmt: skip
        return nll.astype(log_probs.dtype)

    @staticmethod
    def backward(ctx, grad_y):
        lp, lp_ext, alpha, ext = ctx.lp, ctx.lp_ext, ctx.alpha, ctx.ext
        steps, n, classes = lp.shape
        rows, last, end = np.arange(n), ctx.input_lengths - 1, ctx.end
        # beta[t, s]: log probability of finishing from s at t, p_t(l'_s) included
        beta = np.full(lp_ext.shape, _NEG_INF)
        skip_from = np.zeros_like(ctx.skip)
        skip_from[:, :-2] = ctx.skip[:, 2:]  # s -> s + 2 is allowed where s + 2 may skip
        for t in range(steps - 1, -1, -1):
            if t < steps - 1:
                after = beta[t + 1]
                jump = np.where(skip_from, _shift(after[..., ::-1], 2)[..., ::-1], _NEG_INF)
                after_one = _shift(after[..., ::-1], 1)[..., ::-1]
                beta[t] = lp_ext[t] + _logsumexp(after, after_one, jump)
            starting = last == t
            beta[t][ctx.beyond] = _NEG_INF
            beta[t][last < t] = _NEG_INF
            if starting.any():
                fresh = np.full(beta.shape[1:], _NEG_INF)
                fresh[rows, end] = lp_ext[t, rows, end]
                fresh[rows, np.maximum(end - 1, 0)] = np.where(
                    end > 0, lp_ext[t, rows, np.maximum(end - 1, 0)], fresh[rows, 0]
                )
                beta[t][starting] = fresh[starting]
        with np.errstate(invalid="ignore", over="ignore"):
            occupancy = np.exp(alpha + beta - lp_ext + ctx.nll[None, :, None])
        occupancy = np.nan_to_num(occupancy, nan=0.0) if ctx.zero_infinity else occupancy
        onehot = ext[:, :, None] == np.arange(classes)[None, None, :]
        posterior = np.einsum("tns,nsc->tnc", occupancy, onehot.astype(np.float64))
        grad = (np.exp(lp) - posterior) * grad_y.astype(np.float64)[None, :, None]
        grad[np.arange(steps)[:, None] > last[None, :]] = 0.0
        if ctx.zero_infinity:
            grad[:, ctx.infinite] = 0.0
        return grad.astype(ctx.dtype)


def _lengths(who: str, name: str, value: Any, n: int) -> np.ndarray:
    array = np.asarray(value._data if hasattr(value, "_data") else value)
    if array.dtype.kind not in "iu" and not (array.dtype == object or array.size == 0):
        fail_dtype(who, f"integer {name}", f"dtype {array.dtype}")
    array = array.astype(np.int64).reshape(-1)
    if array.shape != (n,):
        fail_shape(who, f"{name} with one entry per sample ({n})", shape_str(array.shape))
    return array


def ctc_loss(
    log_probs: Any,
    targets: Any,
    input_lengths: Any,
    target_lengths: Any,
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
):
    """CTC loss of log_probs (T, N, C) (log_softmax over C) against targets, padded (N, S) or
    concatenated (sum(target_lengths),); unbatched (T, C) with (S,) targets works too.

    'mean' divides each loss by its target length, then averages over the batch, as torch.

    >>> import numpy as np, chainrule as cr
    >>> lp = cr.tensor(np.log(np.full((3, 1, 2), 0.5)))
    >>> float(cr.functional.ctc_loss(lp, cr.tensor([[1]]), [3], [1], reduction="sum"))
    0.2876820724517809
    """
    who = "ctc_loss"
    check_tensor(who, log_probs, "log_probs")
    refuse_frozen_target(who)  # the targets are laid out in Python, once
    check_tensor(who, targets, "targets")
    check_reduction(who, reduction)
    batched = log_probs.ndim == 3
    if log_probs.ndim not in (2, 3):
        fail_shape(who, "log_probs of shape (T, N, C) or (T, C)", shape_str(log_probs.shape))
    if log_probs.dtype.kind != "f":
        fail_dtype(who, "floating-point log_probs", f"dtype {log_probs.dtype}")
    if targets.dtype.kind not in "iu":
        fail_dtype(who, "integer targets", f"dtype {targets.dtype}")
    lp = log_probs if batched else log_probs.unsqueeze(1)
    steps, n, classes = lp.shape
    if not 0 <= blank < classes:
        fail_value(who, f"blank in [0, {classes - 1}]", str(blank))
    in_lengths = _lengths(who, "input_lengths", input_lengths, n)
    tgt_lengths = _lengths(who, "target_lengths", target_lengths, n)
    if in_lengths.min(initial=1) < 0 or in_lengths.max(initial=0) > steps:
        fail_value(who, f"input_lengths in [0, {steps}]", str(in_lengths.tolist()))
    if tgt_lengths.min(initial=0) < 0:
        fail_value(who, "target_lengths >= 0", str(tgt_lengths.tolist()))
    flat = targets._data.astype(np.int64)
    longest = int(tgt_lengths.max(initial=0))
    if batched and flat.ndim == 2:
        if flat.shape[0] != n or flat.shape[1] < longest:
            fail_shape(who, f"targets of shape ({n}, >= {longest})", shape_str(flat.shape))
        padded = flat[:, :longest]
    else:
        if flat.ndim != 1 or flat.size < tgt_lengths.sum():
            fail_shape(
                who,
                f"concatenated targets of {int(tgt_lengths.sum())} labels",
                shape_str(flat.shape),
            )
        padded = np.full((n, longest), blank, dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(tgt_lengths)[:-1]])
        for i, (start, length) in enumerate(zip(starts, tgt_lengths)):
            padded[i, :length] = flat[start : start + length]
    used = np.arange(longest)[None, :] < tgt_lengths[:, None]
    if ((padded < 0) | (padded >= classes) | (padded == blank))[used].any():
        fail_value(who, f"target labels in [0, {classes - 1}] other than blank={blank}",
                   "a label outside them")  # fmt: skip
    padded = np.where(used, padded, blank)
    if (in_lengths == 0).any():  # no time step: no path at all, an infinite loss (torch's too)
        fail_value(who, "input_lengths >= 1", str(in_lengths.tolist()))
    nll = CTCLoss.apply(
        lp,
        targets=padded,
        input_lengths=in_lengths,
        target_lengths=tgt_lengths,
        blank=int(blank),
        zero_infinity=bool(zero_infinity),
    )
    if reduction == "mean":
        scale = np.maximum(tgt_lengths, 1).astype(lp.dtype)
        return (nll / type(nll)._wrap(scale)).mean()
    if reduction == "sum":
        return nll.sum()
    return nll if batched else nll.squeeze(0)
