"""im2col (``F.unfold``): every kernel-sized patch of an image laid out as one column.

This is how the book explains convolution: once the patches are columns, a convolution is
one matrix product, and its gradient is the same product transposed followed by ``fold``,
which adds each column back where its patch came from (col2im). The helpers here are
shared by the convolution and pooling ops, so each op reads the image the same way.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._checks import fail_shape, fail_value, shape_str
from ..autograd.function import Function

Pair = tuple[int, int]


def pair(value: Any, who: str, name: str) -> Pair:
    """torch accepts an int or a pair for every 2-D size; always work on the pair."""
    if isinstance(value, (int, np.integer)):
        return int(value), int(value)
    if (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(v, (int, np.integer)) for v in value)
    ):
        return int(value[0]), int(value[1])
    fail_value(who, f"{name} as an int or a pair of ints", repr(value))


def out_size(
    size: int,
    kernel: int,
    stride: int,
    pad_total: int,
    dilation: int = 1,
    ceil_mode: bool = False,
    pad_left: int = 0,
) -> int:
    """Number of window positions along one axis, with torch's rule for ceil_mode.

    In ceil_mode the last window may hang past the input, but it must start inside the
    input or its left padding, so a window of nothing but right padding is dropped.
    """
    span = dilation * (kernel - 1) + 1
    extra = stride - 1 if ceil_mode else 0
    n = (size + pad_total - span + extra) // stride + 1
    if ceil_mode and (n - 1) * stride >= size + pad_left:
        n -= 1
    return n


def windows(xp: np.ndarray, kernel: Pair, stride: Pair, dilation: Pair, out: Pair) -> np.ndarray:
    """A read-only view (..., OH, OW, kh, kw) of every patch of the (already padded) image."""
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    span = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)
    view = sliding_window_view(xp, span, axis=(-2, -1))
    return view[..., : (out[0] - 1) * sh + 1 : sh, : (out[1] - 1) * sw + 1 : sw, ::dh, ::dw]


def tap(p: int, q: int, out: Pair, stride: Pair, dilation: Pair) -> tuple[slice, slice]:
    """Where kernel position (p, q) reads in the padded image, over all OH x OW windows at once."""
    (oh, ow), (sh, sw), (dh, dw) = out, stride, dilation
    return slice(p * dh, p * dh + (oh - 1) * sh + 1, sh), slice(
        q * dw, q * dw + (ow - 1) * sw + 1, sw
    )


def fold(
    cols: np.ndarray, padded_shape: tuple[int, ...], kernel: Pair, stride: Pair, dilation: Pair
) -> np.ndarray:
    """col2im, the adjoint of ``windows``: add each patch value back where it was read.

    cols has shape (kh, kw, ..., OH, OW), kernel position first, so each of the kh * kw
    strided additions reads one contiguous block; the Python loop runs kh * kw times
    however large the image is.
    """
    out = cols.shape[-2:]
    image = np.zeros(padded_shape, dtype=cols.dtype)
    for p in range(kernel[0]):
        for q in range(kernel[1]):
            image[(..., *tap(p, q, out, stride, dilation))] += cols[p, q]
    return image


def pad_image(x: np.ndarray, pads: tuple[Pair, Pair], value: float = 0.0) -> np.ndarray:
    """Pad the last two axes by ((top, bottom), (left, right)); no copy when there is nothing to add."""
    if not any(pads[0]) and not any(pads[1]):
        return x
    widths = [(0, 0)] * (x.ndim - 2) + [pads[0], pads[1]]
    return np.pad(x, widths, mode="constant", constant_values=value)


def crop_image(image: np.ndarray, pads: tuple[Pair, Pair]) -> np.ndarray:
    """Undo ``pad_image`` on a gradient: keep the part that lay over the input."""
    (top, bottom), (left, right) = pads
    return image[..., top : image.shape[-2] - bottom, left : image.shape[-1] - right]


class Unfold(Function):
    """im2col: y[n, (c, p, q), (i, j)] = x_padded[n, c, i s_h + p d_h, j s_w + q d_w].

    The columns are ordered channel-major then kernel row then kernel column, as torch's.
    dL/dx is ``fold``: each column's gradient is added back onto the patch it came from.
    """

    @staticmethod
    def forward(ctx, x, *, kernel, stride, padding, dilation, out):
        pads = ((padding[0], padding[0]), (padding[1], padding[1]))
        xp = pad_image(x, pads)
        patches = windows(xp, kernel, stride, dilation, out)  # (N, C, OH, OW, kh, kw)
        n, c = x.shape[:2]
        ctx.save(
            padded_shape=xp.shape,
            pads=pads,
            kernel=kernel,
            stride=stride,
            dilation=dilation,
            out=out,
        )
        cols = patches.transpose(0, 1, 4, 5, 2, 3)
        return cols.reshape(n, c * kernel[0] * kernel[1], out[0] * out[1])

    @staticmethod
    def backward(ctx, grad_y):
        n, c = ctx.padded_shape[:2]
        (kh, kw), (oh, ow) = ctx.kernel, ctx.out
        cols = grad_y.reshape(n, c, kh, kw, oh, ow).transpose(2, 3, 0, 1, 4, 5)
        image = fold(cols, ctx.padded_shape, ctx.kernel, ctx.stride, ctx.dilation)
        return crop_image(image, ctx.pads)


def unfold(input: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1):
    """torch.nn.functional.unfold for images: (N, C, H, W) -> (N, C kh kw, L) patch columns.

    >>> import numpy as np, chainrule as cr
    >>> x = cr.tensor(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> cr.functional.unfold(x, 2, stride=2).numpy()[0]
    array([[ 0.,  2.,  8., 10.],
           [ 1.,  3.,  9., 11.],
           [ 4.,  6., 12., 14.],
           [ 5.,  7., 13., 15.]])
    """
    kernel = pair(kernel_size, "unfold", "kernel_size")
    dilation, padding, stride = (
        pair(dilation, "unfold", "dilation"),
        pair(padding, "unfold", "padding"),
        pair(stride, "unfold", "stride"),
    )
    who = f"unfold(kernel_size={kernel}, dilation={dilation}, padding={padding}, stride={stride})"
    check_sizes(who, kernel, stride, dilation, padding)
    if input.ndim != 4:
        fail_shape(who, "inputs of shape (N, C, H, W)", shape_str(input.shape))
    out = check_fits(who, input.shape, kernel, stride, dilation, (2 * padding[0], 2 * padding[1]))
    return Unfold.apply(
        input, kernel=kernel, stride=stride, padding=padding, dilation=dilation, out=out
    )


def check_sizes(who: str, kernel: Pair, stride: Pair, dilation: Pair, padding: Pair) -> None:
    """The size arguments torch rejects: kernel, stride and dilation must be positive, padding not negative."""
    for name, value, low in (
        ("kernel_size", kernel, 1),
        ("stride", stride, 1),
        ("dilation", dilation, 1),
        ("padding", padding, 0),
    ):
        if min(value) < low:
            fail_value(who, f"{name} {'>= 0' if low == 0 else '> 0'}", str(value))


def check_fits(
    who: str,
    shape: tuple[int, ...],
    kernel: Pair,
    stride: Pair,
    dilation: Pair,
    pad_total: Pair,
    ceil_mode: bool = False,
    pad_left: Pair = (0, 0),
) -> Pair:
    """The output size, or an error when the (dilated) kernel is larger than the padded input."""
    out = tuple(
        out_size(
            shape[-2 + a], kernel[a], stride[a], pad_total[a], dilation[a], ceil_mode, pad_left[a]
        )
        for a in range(2)
    )
    if min(out) < 1:
        padded = (shape[-2] + pad_total[0], shape[-1] + pad_total[1])
        span = tuple(dilation[a] * (kernel[a] - 1) + 1 for a in range(2))
        fail_shape(
            who,
            f"a padded input at least as large as the kernel {shape_str(span)}",
            f"input {shape_str(tuple(shape))}, padded to {shape_str(padded)}",
            "use a smaller kernel or dilation, more padding, or a larger input.",
        )
    return out
