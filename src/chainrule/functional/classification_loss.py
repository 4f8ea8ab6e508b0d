"""Losses over classes: NLL, and cross-entropy from logits (BCE is in binary_loss.py)."""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from .._checks import check_tensor, fail_dtype, shape_str
from ..autograd.function import Function
from ..autograd.tensor import Tensor
from ..cpugraph.backward import fresh
from ..autograd.grad_mode import _Mode
from ..cpugraph.capture import record_call, refuse_frozen_target
from ..errors import ArgumentError, DTypeError, GraphError, IndexRangeError, ShapeError
from .activation import log_softmax_array
from .loss_reduction import (
    check_prediction,
    check_reduction,
    legacy_reduction,
    check_target_not_nan,
    reduce_loss,
    target_array,
    times_upstream,
    upstream,
)


_UNSIGNED = {np.dtype(f"i{k}"): np.dtype(f"u{k}") for k in (1, 2, 4, 8)}


_ROWS: dict[int, np.ndarray] = {}  # n -> arange(n), read only: a batch size recurs every step


def _rows(n: int) -> np.ndarray:
    """0 .. n-1, to index one entry per row (kept: np.arange cost 0.4 us, twice a step)."""
    rows = _ROWS.get(n)
    if rows is None:
        if len(_ROWS) >= 64:  # many batch sizes: start over rather than grow
            _ROWS.clear()
        rows = _ROWS[n] = np.arange(n)
        rows.flags.writeable = False
    return rows


def _pick(log_p: np.ndarray, target: np.ndarray) -> np.ndarray:
    """-sum_c a_ic log p_ic for each row i.

    ``target`` is what _class_coefficients built: plain class indices (N,) when every a_i is
    one-hot (then the sum is one entry per row), else the coefficient matrix a (N, C).
    """
    if target.ndim == 1:
        return -log_p[_rows(len(log_p)), target]
    return -(target * log_p).sum(axis=1)


def _subtract_target(grad_x: np.ndarray, target: np.ndarray) -> np.ndarray:
    """grad_x - a, in place, with a given as class indices or as the matrix (see _pick)."""
    if target.ndim == 1:
        grad_x[_rows(len(target)), target] -= 1
    else:
        grad_x -= target
    return grad_x


class NLLLoss(Function):
    """L_i = -sum_c a_ic x_ic on log-probabilities x; dL/dx_i = -a_i.

    a holds the (weighted) one-hot target; for plain class indices L_i = -x_i[t_i].
    """

    op = "cross_entropy"

    @staticmethod
    def forward(ctx, log_p, target, denominator, reduction, into=None):
        loss, scale = reduce_loss(_pick(log_p, target), reduction, denominator, into)
        ctx.save(shape=log_p.shape, dtype=log_p.dtype, target=target, scale=scale)
        return loss

    @staticmethod
    def backward(ctx, grad_y):
        grad_x = _subtract_target(np.zeros(ctx.shape, dtype=ctx.dtype), ctx.target)
        return _scale_rows(grad_x, grad_y, ctx.scale)


class CrossEntropyLoss(Function):
    """L_i = -sum_c a_ic log softmax(x_i)_c on logits x; dL/dx_i = softmax(x_i) sum_c a_ic - a_i.

    LogSoftmax and NLLLoss fused: the log-softmax is the activation module's, and the gradient
    needs no division, so the loss stays finite for any finite logits. With plain class indices
    sum_c a_ic = 1 and dL/dx = softmax - one_hot(t).
    """

    @staticmethod
    def forward(ctx, x, target, denominator, reduction, into=None):
        log_p = log_softmax_array(x, 1)
        loss, scale = reduce_loss(_pick(log_p, target), reduction, denominator, into)
        ctx.log_p, ctx.target, ctx.scale = log_p, target, scale  # not ctx.save: arithmetic.Add
        return loss

    @staticmethod
    def backward(ctx, grad_y):
        target = ctx.target
        grad_x = np.exp(ctx.log_p)
        if target.ndim == 2:
            grad_x *= target.sum(axis=1, keepdims=True)
        return _scale_rows(_subtract_target(grad_x, target), grad_y, ctx.scale)

    @staticmethod
    def replay_calls(ctx, arrays, config, out):
        """forward's passes for class indices and the mean, log_p computed where ctx keeps it."""
        x, target, count = arrays[0], config["target"], config["denominator"]
        if target.ndim != 1 or config["reduction"] != "mean" or count is None:
            return None
        log_p, rows, dtype = ctx.log_p, np.arange(len(target)), x.dtype
        peak, exps, total, picked = (
            np.empty((len(x), 1), dtype),
            np.empty_like(x),
            np.empty_like(out),
            np.empty(len(target), dtype),
        )
        return [
            partial(np.maximum.reduce, x, 1, None, peak, True),
            partial(np.subtract, x, peak, out=log_p),
            partial(np.exp, log_p, out=exps),
            partial(np.add.reduce, exps, 1, None, peak, True),
            partial(np.log, peak, out=peak),
            partial(np.subtract, log_p, peak, out=log_p),
            partial(_negated_picks, log_p, rows, target, picked),
            partial(np.add.reduce, picked, None, None, total),
            partial(np.divide, total, np.asarray(count, dtype), out=out),
        ]

    @staticmethod
    def replay_backward(ctx, grad_y, grads):
        target = ctx.target
        if target.ndim != 1 or ctx.scale is None:
            return None
        grad_x = fresh(grads[0])
        return [
            partial(np.exp, ctx.log_p, out=grad_x),
            partial(_minus_one_at, grad_x, np.arange(len(target)), target),
            partial(times_upstream, grad_x, grad_y, ctx.scale),
        ], [grad_x, None]


def _negated_picks(
    log_p: np.ndarray, rows: np.ndarray, target: np.ndarray, out: np.ndarray
) -> None:
    np.negative(log_p[rows, target], out=out)  # _pick, reading the labels of this replay


def _minus_one_at(grad_x: np.ndarray, rows: np.ndarray, target: np.ndarray) -> None:
    grad_x[rows, target] -= 1  # _subtract_target


def _scale_rows(grad_x: np.ndarray, grad_y: np.ndarray, scale: float | None) -> np.ndarray:
    g = upstream(grad_y, scale)  # a float, or grad_y itself (N,) for reduction='none'
    grad_x *= g if scale is not None else g[:, None]
    return grad_x


def _labels_as_at_capture(who, x, target, weight, ignore_index, label_smoothing) -> None:
    """Inside a CPUGraph, each replay's labels get eager's check (an IndexError out of range)
    and must still take the plain path the capture recorded (no ignore_index among them)."""
    if _Mode.capture is not None:
        return  # the capture itself: the wrapper has just checked them
    a, _ = _class_coefficients(who, x, target, weight, ignore_index, label_smoothing)
    if a is not target:
        raise GraphError(
            f"{who}: expected labels like the captured batch's, plain class indices in "
            f"[0, {x.shape[1] - 1}], got ignore_index ({ignore_index}) among them, which an eager "
            f"step handles by another path the replay does not have.\nHint: capture with a batch "
            f"that has an ignored label too, or run such batches eagerly."
        )


_labels_as_at_capture.sees_grads = True  # type: ignore[attr-defined]  # it may end a replay


def _class_coefficients(who, x, target, weight, ignore_index, label_smoothing):
    """The per-class coefficient matrix a (or, for plain labels, the labels themselves) and the
    'mean' denominator, as torch defines them."""
    n, classes = x.shape
    dtype = x.dtype
    if target.dtype.kind == "f":
        if target.shape == (n,):  # labels made with zeros() or tensor([...]) of floats
            raise DTypeError(
                f"{who}: expected integer class indices of shape ({n},) (or class "
                f"probabilities of shape {shape_str(x.shape)}), got dtype {target.dtype}.\nHint: "
                f"convert the labels with .long(), or make them with dtype=chainrule.int64."
            )
        if target.shape != x.shape:
            raise ShapeError(
                f"{who}: expected class-probability targets of shape {shape_str(x.shape)} "
                f"(or class indices of shape ({n},)), got {shape_str(target.shape)}."
            )
        check_target_not_nan(who, target)
        t = target.astype(dtype, copy=False)
        if label_smoothing:
            t = t * (1 - label_smoothing) + label_smoothing / classes
        return (t if weight is None else t * weight), float(n)
    if target.dtype.kind not in "iu":
        raise DTypeError(f"{who}: expected integer class indices, got dtype {target.dtype}.")
    if target.shape != (n,):
        raise ShapeError(
            f"{who}: expected class indices of shape ({n},) for inputs {shape_str(x.shape)}, "
            f"got {shape_str(target.shape)}.\nHint: use targets.reshape(-1) for a column of labels."
        )
    plain = weight is None and not label_smoothing and not 0 <= ignore_index < classes
    # Every label in [0, classes) (so none is ignore_index), in one reduction: seen unsigned, a
    # negative label is huge. np.maximum.reduce skips the Python layer of .min() and .max(),
    # which cost 1 us per step of the 64-row batches of W3.
    unsigned = target.view(_UNSIGNED[target.dtype]) if target.dtype.kind == "i" else target
    if plain and np.maximum.reduce(unsigned, axis=None) < classes:
        return target, float(n)
    keep = target != ignore_index
    bad = keep & ((target < 0) | (target >= classes))
    if bad.any():
        value = target[bad][0]
        raise IndexRangeError(
            f"{who}: expected class indices in [0, {classes - 1}], got {value} "
            f"(at position {int(np.argmax(bad))})."
        )
    w = np.ones(classes, dtype=dtype) if weight is None else weight
    safe = np.where(keep, target, 0)
    a = np.zeros((n, classes), dtype=dtype)
    a[np.arange(n), safe] = w[safe] * (1 - label_smoothing)
    if label_smoothing:
        a += (label_smoothing / classes) * w
    a[~keep] = 0
    return a, float(w[safe][keep].sum())


def _logits_2d(who: str, x: Any) -> None:
    if x.ndim != 2:
        hint = "a single sample needs a batch axis: use x.reshape(1, -1)." if x.ndim == 1 else None
        raise ShapeError(
            f"{who}: expected inputs of shape (N, C), got {shape_str(x.shape)}."
            + (f"\nHint: {hint}" if hint else "")
        )
    check_prediction(who, x)


def _class_rows(who: str, x: Any, target: np.ndarray) -> tuple[Any, np.ndarray, tuple]:
    """torch's other layouts as (M, C) rows: one sample (C,) with a 0-d target, or (N, C, d1, ...)
    with targets (N, d1, ...) of indices or (N, C, d1, ...) of probabilities. Returns the rows,
    their targets, and the shape a reduction='none' loss takes."""
    if x.ndim == 1:
        if target.shape not in ((), x.shape):
            raise ShapeError(
                f"{who}: expected a target of shape () or {shape_str(x.shape)} for one sample of "
                f"shape {shape_str(x.shape)}, got {shape_str(target.shape)}."
            )
        return x.reshape(1, -1), target.reshape(1, *target.shape), ()
    if x.ndim < 1 or not isinstance(x, Tensor):
        _logits_2d(who, x)
    classes, extra = x.shape[1], (x.shape[0], *x.shape[2:])
    if target.shape == tuple(x.shape) and target.dtype.kind == "f":
        target = np.moveaxis(target, 1, -1).reshape(-1, classes)
    elif target.shape == extra:
        target = target.reshape(-1)
    else:
        raise ShapeError(
            f"{who}: expected a target of shape {shape_str(extra)} (class indices) or "
            f"{shape_str(tuple(x.shape))} (probabilities) for inputs of shape "
            f"{shape_str(tuple(x.shape))}, got {shape_str(target.shape)}."
        )
    rows = x.permute(0, *range(2, x.ndim), 1).reshape(-1, classes)
    return rows, target, extra


def _check_label_tensor(who: str, target: Any) -> None:
    """torch's kernels take int64 and uint8 label Tensors only (NumPy labels of any int pass)."""
    data = getattr(target, "_data", None)
    if data is None:  # NumPy labels, a list: the dtype rule is for Tensors
        return
    dtype = data.dtype
    if dtype.kind in "iub" and dtype not in (np.int64, np.uint8):
        fail_dtype(who, "class indices of dtype int64 (or uint8)", f"dtype {dtype}",
                   "convert the labels with .long().")  # fmt: skip


def _weight_array(weight: Any, classes: int, dtype, who: str):
    if weight is None:
        return None
    given = getattr(weight, "_data", None)
    if given is not None and given.dtype != dtype:  # torch refuses; a cast would hide a slow-down
        fail_dtype(who, f"a weight of the input's dtype {dtype}", f"dtype {given.dtype}",
                   f"convert it: weight.to({dtype.name}).")  # fmt: skip
    w = np.asarray(getattr(weight, "data", weight), dtype=dtype)
    if w.shape != (classes,):
        raise ShapeError(f"{who}: expected weight of shape ({classes},), got {shape_str(w.shape)}.")
    return w


def cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    ignore_index: int = -100,  # noqa: A002
    reduce: Any = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
):
    """Cross-entropy from logits, fused with log-softmax so it stays finite for any finite logits.

    L = mean_i -log softmax(x_i)[t_i]. Shapes: input (N, C), target (N,) class indices or (N, C)
    class probabilities.

    >>> import numpy as np, chainrule as cr
    >>> logits = cr.tensor([[1e4, 0.0], [0.0, 0.0]])
    >>> round(cross_entropy(logits, np.array([0, 1])).item(), 6)   # no overflow at 1e4
    0.346574
    """
    if size_average is not None or reduce is not None:  # torch's deprecated pair
        reduction = legacy_reduction(size_average, reduce, reduction)
    check_tensor("cross_entropy", input)
    _check_label_tensor("cross_entropy", target)
    who = "cross_entropy"
    check_reduction(who, reduction)
    if getattr(input, "ndim", 2) != 2:  # (C,) or (N, C, d1, ...): as torch, via (M, C) rows
        input, target, shape = _class_rows(who, input, target_array(target))
        loss = cross_entropy(
            input, target, weight, ignore_index=ignore_index, reduction=reduction,
            label_smoothing=label_smoothing,
        )  # fmt: skip
        return loss if reduction != "none" else loss.reshape(shape)
    _logits_2d(who, input)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ArgumentError(f"{who}: expected label_smoothing in [0, 1], got {label_smoothing!r}.")
    x = input._data
    w = _weight_array(weight, x.shape[1], x.dtype, who)
    target = target_array(target)
    if target.dtype.kind == "f" and ignore_index != -100:  # probabilities have no class to skip
        raise ArgumentError(f"{who}: expected ignore_index=-100 with class-probability targets, "
                         f"got {ignore_index}.")  # fmt: skip
    a, denominator = _class_coefficients(who, x, target, w, ignore_index, label_smoothing)
    if a is not target:
        refuse_frozen_target(who)
    if _Mode.capture is not None:
        record_call(_labels_as_at_capture, who, x, target, w, ignore_index, label_smoothing)
    return CrossEntropyLoss.apply(input, target=a, denominator=denominator, reduction=reduction)


def nll_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    ignore_index: int = -100,  # noqa: A002
    reduce: Any = None,
    reduction: str = "mean",
):
    """Negative log-likelihood of log-probabilities (the output of log_softmax)."""
    if size_average is not None or reduce is not None:  # torch's deprecated pair
        reduction = legacy_reduction(size_average, reduce, reduction)
    check_tensor("nll_loss", input)
    _check_label_tensor("nll_loss", target)
    who = "nll_loss"
    check_reduction(who, reduction)
    if getattr(input, "ndim", 2) != 2:  # (C,) or (N, C, d1, ...): as torch, via (M, C) rows
        input, target, shape = _class_rows(who, input, target_array(target))
        loss = nll_loss(input, target, weight, ignore_index=ignore_index, reduction=reduction)
        return loss if reduction != "none" else loss.reshape(shape)
    _logits_2d(who, input)
    x = input._data
    target = target_array(target)
    if target.dtype.kind == "f":
        raise DTypeError(f"{who}: expected integer class indices, got dtype {target.dtype}.")
    w = _weight_array(weight, x.shape[1], x.dtype, who)
    a, denominator = _class_coefficients(who, x, target, w, ignore_index, 0.0)
    if a is not target:
        refuse_frozen_target(who)
    if _Mode.capture is not None:
        record_call(_labels_as_at_capture, who, x, target, w, ignore_index, 0.0)
    return NLLLoss.apply(input, target=a, denominator=denominator, reduction=reduction)
