"""A stride-1 convolution's input gradient on the padded-width grid: fold in long runs.

``fold`` (col2im) adds each kernel position's gradient back onto a shifted window of the
padded image: OH rows of OW numbers, each row one short run for NumPy's inner loop (8 at the
digits size). With stride 1 there is a way to make each addition one run: compute W^T G for
every column of the padded width Wp (G padded with zeros from OW to Wp), and flatten the
padded image to one row per channel. Output pixel (i, j) then reads the image at flat offset
(i + p dh) Wp + (j + q dw), so kernel position (p, q) adds one contiguous slice of OH Wp
numbers at offset p dh Wp + q dw; the zero columns add zeros, where they spill into the next
row. That is the ``fold`` of the book, in kh * kw long additions instead of kh * kw * OH short
ones: 2.5x faster at W5's size (bench/RESULTS.md).
"""

from __future__ import annotations

import numpy as np

from .unfold import Pair


def fold_stride1(
    grad_y: np.ndarray,
    w_rows: np.ndarray,
    padded_shape: tuple[int, ...],
    kernel: Pair,
    dilation: Pair,
) -> np.ndarray:
    """fold(W^T G) onto the padded image (N, C, Hp, Wp) for a stride-1 convolution.

    ``w_rows`` is the weight as (groups, O / groups, C / groups kh kw), as Conv2d multiplies.
    """
    n, out_ch, oh, ow = grad_y.shape
    _, c, hp, wp = padded_shape
    (kh, kw), (dh, dw) = kernel, dilation
    wide = np.zeros((n, out_ch, oh, wp), dtype=grad_y.dtype)
    wide[..., :ow] = grad_y
    wide = wide.reshape(n, w_rows.shape[0], -1, oh * wp)
    cols = np.matmul(w_rows.transpose(0, 2, 1), wide).reshape(n, c, kh, kw, oh * wp)
    flat = np.zeros((n, c, hp * wp + (kw - 1) * dw), dtype=grad_y.dtype)
    for p in range(kh):
        for q in range(kw):
            start = p * dh * wp + q * dw
            flat[..., start : start + oh * wp] += cols[:, :, p, q]
    return flat[..., : hp * wp].reshape(n, c, hp, wp)
