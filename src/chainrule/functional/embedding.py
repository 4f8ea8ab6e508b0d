"""Embedding lookup: rows of a weight matrix picked by integer indices."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, shape_str
from ..autograd.function import Function
from ..autograd.grad_mode import _Mode
from ..cpugraph.capture import record_call
from ..errors import ArgumentError, DTypeError, GraphError, IndexRangeError, ShapeError


class Embedding(Function):
    """y = W[indices]; dL/dW adds each row's gradient at its index (repeats add up, or are
    averaged with ``scale_grad_by_freq``: divided by how often the row appears in the batch)."""

    @staticmethod
    def forward(ctx, weight, indices, padding_idx, scale_grad_by_freq=False):
        ctx.save(shape=weight.shape, indices=indices, padding_idx=padding_idx)
        ctx.by_freq = scale_grad_by_freq
        return weight[indices]

    @staticmethod
    def backward(ctx, grad_y):
        grad_w = np.zeros(ctx.shape, dtype=grad_y.dtype)
        np.add.at(grad_w, ctx.indices, grad_y)
        if ctx.by_freq:
            counts = np.bincount(ctx.indices.ravel(), minlength=ctx.shape[0])
            grad_w /= np.maximum(counts, 1)[:, None].astype(grad_w.dtype)
        if ctx.padding_idx is not None:
            grad_w[ctx.padding_idx] = 0
        return grad_w


def embedding(
    input: Any,  # noqa: A002  (torch's name)
    weight: Any,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
):
    """Rows of ``weight`` at ``input``, as torch.nn.functional.embedding. ``max_norm`` rescales
    the rows looked up, in place, to norm at most max_norm first (as torch does, a write to the
    weight); ``sparse`` is accepted, and the gradient is a dense array all the same."""
    check_tensor("embedding", input)
    idx = np.asarray(getattr(input, "data", input))
    if idx.dtype.kind not in "iu":
        raise DTypeError(f"embedding: expected integer indices, got dtype {idx.dtype}.")
    if getattr(weight, "ndim", 2) != 2:  # torch's "'weight' must be 2-D"; a 1-D one would index
        raise ShapeError(
            f"embedding: expected a 2-D weight (num_embeddings, embedding_dim), got "
            f"{shape_str(tuple(weight.shape))}."
        )
    record_call(_indices_in_range, idx, weight.shape)  # now, and on each CPUGraph replay
    if max_norm is not None:
        record_call(_renorm_rows, weight._data, idx, float(max_norm), float(norm_type))
        weight._vc[0] += 1  # the weight was written in place, as torch counts it
    return Embedding.apply(
        weight, indices=idx, padding_idx=padding_idx, scale_grad_by_freq=scale_grad_by_freq
    )


def _renorm_rows(weight: np.ndarray, idx: np.ndarray, max_norm: float, norm_type: float) -> None:
    """torch's embedding_renorm_: each row looked up whose norm exceeds max_norm is scaled by
    max_norm / (norm + 1e-7)."""
    rows = np.unique(idx)
    norms = np.linalg.norm(weight[rows], ord=norm_type, axis=1)
    over = norms > max_norm
    weight[rows[over]] *= (max_norm / (norms[over] + 1e-7))[:, None].astype(weight.dtype)


def _indices_in_range(idx: np.ndarray, shape: tuple) -> None:
    rows = shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= rows):
        bad = idx[(idx < 0) | (idx >= rows)].flat[0]
        raise IndexRangeError(  # torch: IndexError from embedding, RuntimeError from its bag
            f"embedding({rows}, {shape[1]}): expected indices in [0, {rows - 1}], "
            f"got {bad} (indices of shape {shape_str(idx.shape)})."
        )


def one_hot(tensor: Any, num_classes: int = -1):
    """Class indices -> rows of 0 and 1 (int64), with a new last axis, as torch's one_hot."""
    from ..autograd.tensor import Tensor

    labels = np.asarray(getattr(tensor, "_data", tensor))
    if labels.dtype.kind not in "iu":
        raise DTypeError(f"one_hot: expected integer class indices, got dtype {labels.dtype}.")
    if num_classes != -1 and not (isinstance(num_classes, (int, np.integer)) and num_classes >= 0):
        raise ArgumentError(
            f"one_hot: expected num_classes -1 (from the labels) or an int >= 0, got {num_classes!r}."
        )
    if num_classes == -1 and _Mode.capture is not None:
        raise GraphError(
            "one_hot: expected num_classes given inside a CPUGraph capture, got -1 (the width "
            "read from the labels' largest value once).\nHint: pass num_classes, e.g. "
            "one_hot(labels, 10), so every replay's result has the captured shape."
        )
    classes = int(labels.max()) + 1 if num_classes == -1 and labels.size else int(num_classes)
    # recorded, checks included: a replay encodes (and range-checks) each batch's labels
    return Tensor._wrap(record_call(_one_hot, labels, classes))


def _one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ArgumentError(
            f"one_hot: expected class indices in [0, {classes - 1}], got values from "
            f"{int(labels.min())} to {int(labels.max())}."
        )
    return np.eye(max(classes, 0), dtype=np.int64)[labels]


_indices_in_range.sees_grads = True  # type: ignore[attr-defined]  # it may end a CPUGraph replay
