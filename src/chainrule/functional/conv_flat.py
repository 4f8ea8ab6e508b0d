"""A stride-1 convolution's input gradient on the padded-width grid: fold in long runs.

``fold`` (col2im) adds each kernel position's gradient back onto a shifted window of the
padded image: OH rows of OW numbers, each row one short run for NumPy's inner loop (8 at the
digits size). With stride 1 there is a way to make each addition one run: compute W^T G for
every column of the padded width Wp (G widened with zeros from OW to Wp), and flatten each
padded image to one row. Output pixel (i, j) then reads the image at flat offset
(i + p dh) Wp + (j + q dw), so kernel position (p, q) adds one contiguous slice of OH Wp
numbers at offset p dh Wp + q dw; the zero columns add zeros where they spill into the next
row. That is the book's ``fold``, in kh * kw long additions instead of kh * kw * OH short
ones: 1.5-2.5x faster at W5's size, even at W6's (bench/RESULTS.md).
"""

from __future__ import annotations

import numpy as np

from .unfold import Pair


def widen(rows: np.ndarray, shape: tuple[int, ...], wp: int) -> np.ndarray:
    """G as (O, N OH Wp) rows: ``rows`` (O, N OH OW) with zero columns from OW to Wp."""
    wide = np.zeros((*shape[:-1], wp), dtype=rows.dtype)
    wide[..., : shape[-1]] = rows.reshape(shape)
    return wide.reshape(shape[0], -1)


def fold_wide(cols: np.ndarray, padded_shape: tuple[int, ...], dilation: Pair) -> np.ndarray:
    """fold for stride 1: cols (kh, kw, ..., OH Wp) of W^T G on the padded-width grid, added
    back onto the padded image (..., Hp, Wp)."""
    kh, kw = cols.shape[:2]
    hp, wp = padded_shape[-2:]
    (dh, dw), run = dilation, cols.shape[-1]
    # The last position's run ends (kw - 1) dw past the image: its zero columns land there.
    flat = np.zeros((*padded_shape[:-2], hp * wp + (kw - 1) * dw), dtype=cols.dtype)
    for p in range(kh):
        for q in range(kw):
            start = p * dh * wp + q * dw
            flat[..., start : start + run] += cols[p, q]
    return flat[..., : hp * wp].reshape(padded_shape)
