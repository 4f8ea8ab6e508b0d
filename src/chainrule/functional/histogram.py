"""torch.histogram: counts (or weights) of a tensor's elements in bins, and the bin edges.

Each element lands in the bin whose left edge is the last one at or below it, the rightmost bin
closed on both sides, and elements outside the edges (NaN too) are left out: torch's rule, which
its linear-interpolation search and binary search both reduce to (a searchsorted here)."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ..cpugraph.capture import record_call
from ..errors import ArgumentError, DTypeError
from .sorting import _tensor

HistogramResult = namedtuple("HistogramResult", ["hist", "bin_edges"])


def _edges(x: np.ndarray, bins: int, range: Any) -> np.ndarray:  # noqa: A002
    if range is not None:
        low, high = (float(v) for v in range)
    else:
        finite = x[~np.isnan(x)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ArgumentError(f"histogram: expected a finite range, got [{low}, {high}].")
    if low > high:
        raise ArgumentError(f"histogram: expected min <= max, got min {low} and max {high}.")
    if low == high:  # one value: a bin of width one around it, as torch and NumPy
        low, high = low - 0.5, high + 0.5
    # torch's linspace, in the input's dtype: forward from the start for the first half of the
    # edges, back from the end for the rest, each edge rounded once (its kernel's fused
    # multiply-add; float64 holds a float32 product exactly), where np.linspace rounds some
    # edges differently
    start, end = x.dtype.type(low), x.dtype.type(high)
    step = (end - start) / x.dtype.type(bins)
    wide = np.float64 if x.dtype == np.float32 else np.longdouble
    index = np.arange(bins + 1)
    half = (bins + 1) // 2
    forward = wide(start) + wide(step) * index
    backward = wide(end) - wide(step) * (bins - index)
    return np.where(index < half, forward, backward).astype(x.dtype)


def _counted(x: np.ndarray, edges: np.ndarray, weight: Any, density: bool) -> np.ndarray:
    flat = x.reshape(-1)
    inside = (flat >= edges[0]) & (flat <= edges[-1])
    index = np.searchsorted(edges, flat[inside], side="right") - 1
    index = np.minimum(index, edges.size - 2)  # the last edge belongs to the last bin
    w = None if weight is None else weight.reshape(-1)[inside]
    hist = np.bincount(index, weights=w, minlength=edges.size - 1).astype(x.dtype)
    if density:
        with np.errstate(invalid="ignore", divide="ignore"):
            hist = hist / (hist.sum() * np.diff(edges))
    return hist.astype(x.dtype, copy=False)


def histogram(
    input: Any,  # noqa: A002
    bins: Any = 100,
    *,
    range: Any = None,  # noqa: A002
    weight: Any = None,
    density: bool = False,
) -> HistogramResult:
    """(hist, bin_edges) as torch.histogram: ``bins`` an int (equal bins over ``range``, by
    default the data's min and max) or a 1-D tensor of edges; ``weight`` adds each element's
    weight instead of 1; ``density`` divides by the total and the bin widths. No gradient."""
    from ..autograd.tensor import Tensor

    x = _tensor(input)
    if x.dtype.kind != "f":
        raise DTypeError(f"histogram: expected a floating-point input, got dtype {x.dtype}.")
    w = None
    if weight is not None:
        w = _tensor(weight)
        if tuple(w.shape) != tuple(x.shape) or w.dtype != x.dtype:
            raise ArgumentError(
                f"histogram: expected weight of the input's shape {tuple(x.shape)} "
                f"and dtype {x.dtype}, got {tuple(w.shape)} and {w.dtype}."
            )
        w = w._data
    if isinstance(bins, (int, np.integer)) and not isinstance(bins, bool):
        if bins <= 0:
            raise ArgumentError(f"histogram: expected bins > 0, got {bins}.")
        # recorded: a replay takes the new data's min and max (the edges follow each batch)
        edges = record_call(_edges, x._data, int(bins), range)
    else:
        edges = _tensor(bins)._data
        if edges.ndim != 1 or edges.size < 1 or edges.dtype != x.dtype:
            raise ArgumentError(
                f"histogram: expected bins as an int or a 1-D tensor of edges of "
                f"the input's dtype {x.dtype}, got {edges.dtype} of shape "
                f"{edges.shape}."
            )
        edges = edges.copy()
    # recorded: a CPUGraph replay counts the new data
    hist = record_call(_counted, x._data, edges, w, bool(density))
    return HistogramResult(Tensor._wrap(hist), Tensor._wrap(edges))
