"""interpolate(..., antialias=True) for bilinear and bicubic, as torch's _upsample_*_aa: each
output pixel averages every input pixel under the filter stretched to the scale (a triangle
for bilinear, Keys' cubic with a = -0.5 for bicubic, as PIL), the weights renormalised to sum
to 1. Shrinking by k widens the filter k times, so no input pixel is skipped (plain bilinear
reads only two). Each axis is one product with a constant (out, in) weight matrix, so the
gradient is matmul's."""

from __future__ import annotations

from typing import Any

import numpy as np


def _triangle(x: np.ndarray) -> np.ndarray:
    return np.maximum(0.0, 1.0 - np.abs(x))


def _keys_cubic(x: np.ndarray) -> np.ndarray:
    a, x = -0.5, np.abs(x)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return np.where(x < 1.0, near, np.where(x < 2.0, far, 0.0))


def weights(n_in: int, n_out: int, scale: float, cubic: bool) -> np.ndarray:
    """The (n_out, n_in) matrix of one axis, by torch's _compute_indices_min_size_weights_aa
    (scale is input per output pixel; its bounds are truncated toward zero as C++'s casts)."""
    support = (2.0 if cubic else 1.0) * max(scale, 1.0)
    invscale = 1.0 / scale if scale >= 1.0 else 1.0
    matrix = np.zeros((n_out, n_in))
    for i in range(n_out):
        center = scale * (i + 0.5)
        low = max(int(center - support + 0.5), 0)
        high = min(int(center + support + 0.5), n_in)
        taps = np.arange(low, high)
        w = (_keys_cubic if cubic else _triangle)((taps - center + 0.5) * invscale)
        total = w.sum()
        matrix[i, low:high] = w / total if total != 0.0 else w
    return matrix


def resize_antialiased(x: Any, out: tuple, scales: tuple, cubic: bool, align_corners: bool):
    """x (N, C, H, W) resized to ``out`` with the antialiasing filter, one axis after another."""
    from .sorting import _tensor

    y = x
    for k, (n_out, scale) in enumerate(zip(out, scales)):
        axis, n_in = 2 + k, x.shape[2 + k]
        if align_corners:
            scale = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
        matrix = _tensor(weights(n_in, n_out, scale, cubic).T.astype(x.dtype))
        y = (y.transpose(axis, -1) @ matrix).transpose(axis, -1)
    return y
