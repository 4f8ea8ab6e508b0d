"""embedding_bag: the sum, mean or max of each bag of embedding rows, without building the
(bags, length, dim) tensor. Composed of ``embedding`` (whose gradient reaches the weight) and
one matrix product with the bags' membership matrix, whose rows hold 1, 1/count or the
per-sample weights, so the gradient reaches those weights too; max is a masked maximum."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, fail_shape, fail_value, message, shape_str
from ..errors import UnsupportedError
from ..cpugraph.capture import record_call
from .embedding import embedding

MODES = ("sum", "mean", "max")


def embedding_bag(
    input: Any,  # noqa: A002
    weight: Any,
    offsets: Any = None,
    max_norm: float | None = None,
    norm_type: float = 2,
    scale_grad_by_freq: bool = False,
    mode: str = "mean",
    sparse: bool = False,
    per_sample_weights: Any = None,
    include_last_offset: bool = False,
    padding_idx: int | None = None,
):
    """Bags are the rows of a 2-D ``input`` (B, L), or the slices of a 1-D one that
    ``offsets`` starts (the last to the end; with include_last_offset, offsets ends with
    len(input)). Entries equal to padding_idx count for nothing; an empty bag gives zeros."""
    who = f"embedding_bag(mode={mode!r})"
    check_tensor(who, input)
    if mode not in MODES:
        fail_value(who, "mode 'sum', 'mean' or 'max'", repr(mode))
    if per_sample_weights is not None and mode != "sum":
        raise UnsupportedError(
            message(who, "per_sample_weights only with mode='sum'", f"mode={mode!r}")
        )
    idx = np.asarray(input._data)
    if idx.dtype.kind not in "iu":
        fail_value(who, "integer indices", f"dtype {idx.dtype}")
    if per_sample_weights is not None and tuple(per_sample_weights.shape) != idx.shape:
        fail_shape(
            who,
            f"per_sample_weights of the input's shape {shape_str(idx.shape)}",
            shape_str(per_sample_weights.shape),
        )
    bag_of, bags = _bags(who, idx, offsets, include_last_offset)
    n = weight.shape[0]
    if padding_idx is not None and not -n <= padding_idx < n:  # else it matches no index, silently
        fail_value(
            who, f"padding_idx in [{-n}, {n - 1}], the number of embeddings", str(padding_idx)
        )
    if padding_idx is not None and padding_idx < 0:
        padding_idx += n
    flat = input.reshape(-1)
    rows = embedding(flat, weight, None, max_norm, norm_type, scale_grad_by_freq)
    if mode == "max":
        return _max(rows, record_call(_members, bag_of, bags, idx.reshape(-1), padding_idx))
    scale = mode == "mean"
    matrix = record_call(_membership, bag_of, bags, idx.reshape(-1), padding_idx, scale, rows.dtype)
    member = rows._wrap(matrix)
    if per_sample_weights is not None:
        member = member * per_sample_weights.reshape(1, -1)
    return member @ rows


def _bags(who: str, idx: np.ndarray, offsets: Any, include_last: bool) -> tuple[np.ndarray, int]:
    """Which bag each entry of the flattened input falls in (-1: none), and how many bags."""
    if idx.ndim == 2:
        if offsets is not None:
            fail_value(who, "offsets=None for a 2-D input (each row is a bag)", "offsets")
        return np.repeat(np.arange(idx.shape[0]), idx.shape[1]), idx.shape[0]
    if idx.ndim != 1:
        fail_shape(who, "a 1-D input with offsets, or a 2-D input (B, L)", shape_str(idx.shape))
    if offsets is None:
        fail_value(who, "offsets for a 1-D input", "None")
    starts = np.asarray(getattr(offsets, "_data", offsets))
    if starts.dtype.kind not in "iu" or starts.ndim != 1 or starts.size == 0:
        fail_value(who, "1-D integer offsets", f"{starts.dtype} of shape {shape_str(starts.shape)}")
    bags = starts.size - 1 if include_last else starts.size
    # recorded: a CPUGraph replay reads each batch's offsets (and checks them again)
    return record_call(_bag_index, who, starts, idx.size, include_last), bags


def _bag_index(who: str, starts: np.ndarray, n: int, include_last: bool) -> np.ndarray:
    if starts[0] != 0 or (np.diff(starts) < 0).any():
        fail_value(who, "offsets starting at 0 and never decreasing", str(starts.tolist()))
    if starts[-1] > n:
        fail_value(who, f"offsets at most len(input) = {n}", str(int(starts[-1])))
    bag_of = np.searchsorted(starts, np.arange(n), side="right") - 1
    if include_last:
        bag_of = np.where(bag_of >= starts.size - 1, -1, bag_of)
    return bag_of


def _membership(
    bag_of: np.ndarray, bags: int, idx: np.ndarray, padding_idx: Any, scale: bool, dtype: Any
) -> np.ndarray:
    matrix = np.zeros((bags, idx.size), dtype=dtype)
    counted = (bag_of >= 0) & (idx != padding_idx if padding_idx is not None else True)
    matrix[bag_of[counted], np.nonzero(counted)[0]] = 1
    if scale:
        count = matrix.sum(axis=1, keepdims=True)
        matrix /= np.maximum(count, 1)
    return matrix


def _members(bag_of: np.ndarray, bags: int, idx: np.ndarray, padding_idx: Any) -> np.ndarray:
    """(bags, n, 1): True where entry j belongs to the bag (and is not padding)."""
    return (_membership(bag_of, bags, idx, padding_idx, False, np.float64) > 0)[:, :, None]


def _max(rows: Any, members: np.ndarray) -> Any:
    """Each bag's elementwise maximum over its rows, a masked max so that a CPUGraph replay
    follows each batch's bags; an empty bag gives zeros, as torch."""
    member = rows._wrap(members)
    zero = rows.detach()[:1] * 0
    best = rows.unsqueeze(0).where(member, zero.unsqueeze(0) - np.inf).max(1)[0]
    return best.where(member.any(1), zero)
