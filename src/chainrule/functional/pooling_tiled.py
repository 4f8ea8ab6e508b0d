"""Max-pooling where the windows tile the image (stride = kernel, no padding, no dilation).

That is the usual ``MaxPool2d(2)``, and there every window is a block of one reshape: the
image (..., OH kh, OW kw) is the array (..., OH, kh, OW, kw) with no copy, each kernel
position (p, q) is the plain view [..., p, :, q], and the maximum is kh * kw - 1 calls of
``np.maximum`` on whole images. The general running maximum in pooling.py keeps an index
per output as it goes (a masked copy per kernel position: 10-15x slower at W6's size); here
backward finds each block's maximum again by comparing with it, which costs forward nothing.
MaxPool2d's forward and backward call these two side by side.
"""

from __future__ import annotations

import numpy as np

from .unfold import Pair


def block_max(x: np.ndarray, kernel: Pair, out: Pair) -> tuple[np.ndarray, np.ndarray]:
    """Each block's maximum (..., OH, OW), and the blocks (..., OH, kh, OW, kw) for backward."""
    (kh, kw), (oh, ow) = kernel, out
    # floor mode drops the rows and columns past the last whole block, as torch does
    blocks = x[..., : oh * kh, : ow * kw].reshape(*x.shape[:-2], oh, kh, ow, kw)
    y = blocks[..., 0, :, 0].copy()
    for p, q in np.ndindex(kh, kw):
        if p or q:
            np.maximum(y, blocks[..., p, :, q], out=y)
    return y, blocks


def block_max_grad(
    blocks: np.ndarray, y: np.ndarray, grad_y: np.ndarray, image_shape: tuple[int, ...]
) -> np.ndarray:
    """dL/dx: grad_y at each block's first maximum in row-major order (torch's), 0 elsewhere.

    ``y`` must hold no NaN: torch sends a NaN window's gradient to its last NaN, and
    MaxPool2d leaves those images to the running maximum, which finds it.
    """
    kh, kw = blocks.shape[-3], blocks.shape[-1]
    grad_blocks = np.empty(blocks.shape, dtype=grad_y.dtype)
    finite = np.isfinite(grad_y).all()
    seen = None
    for p, q in np.ndindex(kh, kw):
        hit = blocks[..., p, :, q] == y
        # A tie (common after ReLU: a block of zeros) goes to the first maximum only.
        if seen is None:
            seen = hit.copy()
        else:
            hit &= ~seen
            seen |= hit
        # The product is 10x faster than np.where, but inf * False is NaN, not 0.
        grad_blocks[..., p, :, q] = hit * grad_y if finite else np.where(hit, grad_y, 0)
    oh, ow = y.shape[-2:]
    grad_x = grad_blocks.reshape(*grad_blocks.shape[:-4], oh * kh, ow * kw)
    if grad_x.shape == image_shape:
        return grad_x
    image = np.zeros(image_shape, dtype=grad_x.dtype)
    image[..., : oh * kh, : ow * kw] = grad_x
    return image
