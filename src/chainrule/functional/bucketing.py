"""Binning values against sorted boundaries: torch.searchsorted and torch.bucketize, neither
differentiable (the result is an index). Both are np.searchsorted, row by row where torch's
sorted sequence has leading dims matching the values'."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import caller_name, check_tensor, fail_shape, fail_value
from ..cpugraph.capture import record_call
from .comparison import into
from .sorting import _tensor


def _array(x: Any) -> np.ndarray:
    if isinstance(x, (list, tuple)):  # torch.isclose([1], [1]) is a TypeError, as in _tensor
        check_tensor(caller_name(), x)
    return np.asarray(getattr(x, "_data", x))


def _search(sorted_sequence: np.ndarray, values: np.ndarray, side: str) -> np.ndarray:
    if sorted_sequence.ndim == 1:
        return np.searchsorted(sorted_sequence, values, side=side)
    rows = sorted_sequence.reshape(-1, sorted_sequence.shape[-1])
    queries = values.reshape(rows.shape[0], -1)
    found = [np.searchsorted(row, query, side=side) for row, query in zip(rows, queries)]
    return np.stack(found).reshape(values.shape)


def _located(sorted_sequence: Any, values: Any, side: str, out_int32: bool, sorter: Any) -> Any:
    sequence, queries = _array(sorted_sequence), _array(values)
    if sorter is not None:
        sequence = np.take_along_axis(sequence, _array(sorter), axis=-1)
    dtype = np.int32 if out_int32 else np.int64
    return _tensor(record_call(_binned, sequence, queries, side, dtype))


def _binned(sequence: np.ndarray, queries: np.ndarray, side: str, dtype: Any) -> np.ndarray:
    return np.asarray(_search(sequence, queries, side), dtype=dtype)


def searchsorted(
    sorted_sequence: Any,
    input: Any,  # noqa: A002
    *,
    out_int32: bool = False,
    right: bool = False,
    side: str | None = None,
    sorter: Any = None,
    out: Any = None,
):
    """Where each value would go in ``sorted_sequence`` to keep it sorted: the first such index,
    or the last with ``right=True`` / ``side="right"``. A sorted sequence of more than one dim
    is searched row by row, its leading dims matching the values'.

    >>> import chainrule as cr
    >>> cr.searchsorted(cr.tensor([1, 3, 5, 7]), cr.tensor([3, 6]))
    tensor([1, 3])
    """
    if side not in (None, "left", "right"):
        fail_value("searchsorted", 'side "left" or "right"', repr(side))
    if right and side == "left":  # torch refuses only this clash: side="right" alone wins
        fail_value(
            "searchsorted",
            'side="right" with right=True',
            'side="left"',
            "pass only one of them.",
        )
    sequence, queries = _array(sorted_sequence), _array(input)
    if sequence.ndim > 1 and (
        queries.ndim != sequence.ndim or queries.shape[:-1] != sequence.shape[:-1]
    ):
        fail_shape(
            "searchsorted",
            f"values whose leading dims match the sorted sequence's {tuple(sequence.shape[:-1])}",
            f"values of shape {tuple(queries.shape)}",
            "pass a 1-D sorted sequence to search every value in one sequence.",
        )
    side = side or ("right" if right else "left")
    return into(out, _located(sequence, queries, side, out_int32, sorter))


def bucketize(
    input: Any,  # noqa: A002
    boundaries: Any,
    *,
    out_int32: bool = False,
    right: bool = False,
    out: Any = None,
):
    """The bucket of each value between 1-D sorted ``boundaries``: i with boundaries[i-1] < x <=
    boundaries[i] (or boundaries[i-1] <= x < boundaries[i] with ``right=True``).

    >>> import chainrule as cr
    >>> cr.bucketize(cr.tensor([0.5, 2.0, 9.0]), cr.tensor([1.0, 2.0, 5.0]))
    tensor([0, 1, 3])
    """
    edges = _array(boundaries)
    if edges.ndim != 1:
        fail_shape("bucketize", "1-D boundaries", f"boundaries of shape {tuple(edges.shape)}")
    return into(out, _located(edges, _array(input), "right" if right else "left", out_int32, None))
