"""Where each element of a view lives in its base, so an in-place op on a reshaped or
transposed view can be recorded as an op on the base (d2l's ``X.reshape(-1, n)[~mask] = v``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import shape_str
from .errors import GraphError, ShapeError


def _offsets(array: np.ndarray) -> np.ndarray:
    """Each element's byte offset from the array's first element, in the array's own shape."""
    total = np.zeros(array.shape, np.int64)
    for axis, (size, stride) in enumerate(zip(array.shape, array.strides)):
        shape = [1] * array.ndim
        shape[axis] = size
        total = total + (np.arange(size, dtype=np.int64) * stride).reshape(shape)
    return total


def element_positions(base: np.ndarray, view: np.ndarray) -> np.ndarray | None:
    """For each element of ``view``, its position in ``base`` read in C order (an int array of
    the view's shape), or None when some element of the view is not one element of the base
    (a view of a view's memory past the base, a base with repeated elements)."""
    if base.size == 0 or view.size == 0 or base.itemsize != view.itemsize:
        return None
    start = view.__array_interface__["data"][0] - base.__array_interface__["data"][0]
    in_base = _offsets(base).reshape(-1)
    order = np.argsort(in_base, kind="stable")
    ordered = in_base[order]
    if np.any(ordered[1:] == ordered[:-1]):  # an expanded base: one element in many places
        return None
    wanted = (start + _offsets(view)).reshape(-1)
    found = np.searchsorted(ordered, wanted).clip(0, ordered.size - 1)
    if not np.array_equal(ordered[found], wanted):
        return None
    return order[found].reshape(view.shape)


def read_only(who: str, target: Any) -> ShapeError:
    """The error for an in-place write into memory that cannot take it: an expand() view (one
    element in many places, which torch refuses too), overlapping unfold() windows, or an array
    NumPy handed out read-only."""
    return ShapeError(
        f"{who}: expected a tensor whose elements each have their own writable memory, got a "
        f"read-only view of shape {shape_str(target.shape)} (strides {target.stride()}).\nHint: "
        f"expand() and overlapping unfold() views share memory between elements: clone() first."
    )


class MultiOutput:
    """A piece of split, chunk or unbind, marked in its ``_view_of`` so an in-place op on it in
    the graph is refused, as torch refuses it: the one backward of the split could not see it."""

    __slots__ = ("who", "number")

    def __init__(self, who: str, number: int) -> None:
        self.who, self.number = who, number

    def refuse(self, who: str) -> GraphError:
        return GraphError(
            f"{who}: expected an out-of-place op on output {self.number} of {self.who} (a view "
            f"from a function that returns several views), got an in-place one.\nHint: as in "
            f"torch, use the out-of-place form (piece = piece + 1), or clone() the piece first."
        )


def mark_pieces(who: str, pieces: tuple) -> tuple:
    """Mark each view split, chunk or unbind returns when it is in the graph (see MultiOutput)."""
    for number, piece in enumerate(pieces):
        if piece._ctx is not None and piece._view_of is not None:
            piece._view_of = (piece._view_of[0], MultiOutput(who, number))
    return pieces
