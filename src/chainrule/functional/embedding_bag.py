"""Bags of embeddings reduced to one vector each (torch.nn.functional.embedding_bag): the rows
of every bag looked up by ``embedding``, then summed by ``index_add``, averaged, or maxed over
a padded block, so autograd chains the lookup's and the reduction's gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, fail_shape, fail_value, message, shape_str
from ..cpugraph.capture import refuse
from .embedding import embedding
from .scatter import index_add, index_put
from .sorting import _tensor

MODES = ("sum", "mean", "max")


def _bags(data: np.ndarray, offsets: Any, include_last_offset: bool) -> tuple:
    """The flat indices and, for each, the bag it belongs to; and the number of bags."""
    if data.ndim == 2:
        if offsets is not None:
            fail_value(
                "embedding_bag",
                "offsets=None with 2-D input (each row is a bag)",
                "offsets",
                "flatten the input to 1-D to pass offsets.",
            )
        count, length = data.shape
        return data.reshape(-1), np.repeat(np.arange(count), length), count
    if data.ndim != 1 or offsets is None:
        fail_shape(
            "embedding_bag",
            "2-D input (B, N), or 1-D input with offsets",
            f"input of shape {shape_str(data.shape)}"
            + ("" if offsets is not None else " and no offsets"),
        )
    starts = np.asarray(getattr(offsets, "_data", offsets)).astype(np.int64).reshape(-1)
    if starts.size and starts[0] != 0:
        fail_value("embedding_bag", "offsets[0] == 0", f"offsets[0] == {int(starts[0])}")
    ends = np.append(starts[1:], data.size)
    if include_last_offset:
        starts, ends = starts[:-1], np.minimum(ends[:-1], data.size)
    if (np.diff(starts) < 0).any() or (starts.size and starts[-1] > data.size):
        fail_value("embedding_bag", "offsets increasing and within the input", str(starts))
    bag_of = np.repeat(np.arange(starts.size), ends - starts)
    return data, bag_of, starts.size


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
    """One vector per bag: the sum, mean or max of the ``weight`` rows its indices pick. Bags
    are the rows of a 2-D input, or slices of a 1-D input starting at ``offsets``; an index
    equal to ``padding_idx`` is left out of its bag, and an empty bag gives zeros.

    >>> import chainrule as cr
    >>> w = cr.arange(6.0).reshape(3, 2)
    >>> embedding_bag(cr.tensor([0, 2, 1]), w, cr.tensor([0, 2]), mode="sum")
    tensor([[4., 6.],
            [2., 3.]])
    """
    check_tensor("embedding_bag", input)
    refuse("embedding_bag")  # the bags are read from the indices' values, once
    if mode not in MODES:
        fail_value("embedding_bag", "mode 'sum', 'mean' or 'max'", repr(mode))
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            message(
                "embedding_bag",
                "per_sample_weights only with mode='sum'",
                f"mode={mode!r}",
                "scale the embeddings yourself, or use mode='sum'.",
            )
        )
    data = np.asarray(input._data)
    flat, bag_of, count = _bags(data, offsets, include_last_offset)
    keep = np.arange(flat.size)
    if padding_idx is not None:
        padding_idx = padding_idx + weight.shape[0] if padding_idx < 0 else padding_idx
        keep = np.flatnonzero(flat != padding_idx)
    bag_of = bag_of[keep]
    rows = embedding(_tensor(flat[keep]), weight, None, max_norm, norm_type, scale_grad_by_freq)
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.reshape(-1)[_tensor(keep)].unsqueeze(1)
    width = weight.shape[1]
    if mode == "max":
        return _bag_max(rows, bag_of, count, width)
    total = index_add(rows.new_zeros((count, width)), 0, _tensor(bag_of), rows)
    if mode == "sum":
        return total
    sizes = np.maximum(np.bincount(bag_of, minlength=count), 1).astype(total.dtype)
    return total / _tensor(sizes).unsqueeze(1)


def _bag_max(rows: Any, bag_of: np.ndarray, count: int, width: int):
    """The elementwise max of each bag: its rows placed in a (bags, longest, D) block of -inf."""
    sizes = np.bincount(bag_of, minlength=count)
    longest = max(int(sizes.max(initial=0)), 1)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    place = np.arange(bag_of.size) - first[bag_of]
    block = rows.new_full((count, longest, width), float("-inf"))
    block = index_put(block, (_tensor(bag_of), _tensor(place)), rows)
    maxed = block.max(1).values
    empty = _tensor(sizes == 0).unsqueeze(1)
    return maxed.masked_fill(empty, 0.0)
