"""Where each element of a view lives in its base, so an in-place op on a reshaped or
transposed view can be recorded as an op on the base (d2l's ``X.reshape(-1, n)[~mask] = v``)."""

from __future__ import annotations

import numpy as np


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
