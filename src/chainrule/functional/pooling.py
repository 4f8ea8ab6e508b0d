"""Pooling over image windows: max, average, and adaptive average (torch's semantics)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, fail_shape, fail_value, shape_str
from ..autograd.function import Function
from ..cpugraph.capture import record_call
from .pooling_tiled import block_max, block_max_grad
from .unfold import Pair, check_fits, check_sizes, crop_image, pad_image, pair, tap, windows


class MaxPool2d(Function):
    """y = max of each window; dL/dx routes each gradient to the one element that was the max.

    A running maximum over the kh * kw kernel positions, each a strided view of the whole
    image, keeps the loop in Python short and the arrays contiguous. Ties go to the first
    maximum in row-major window order and NaN wins, as in torch's CPU kernel; padding is
    -inf, so it is never the maximum of a window that touches the input. Windows that tile
    the image without NaN take pooling_tiled.py's faster blocks instead.
    """

    @staticmethod
    def forward(ctx, x, *, kernel, stride, pads, dilation, out):
        if stride == kernel and dilation == (1, 1) and not any(pads[0] + pads[1]):
            y, blocks = block_max(x, kernel, out)
            if not np.isnan(y).any():
                # A copy of y: an in-place op on the output (torch allows it) must not move
                # the maximum that backward looks for.
                ctx.save(blocks=blocks, y=y.copy(), image_shape=x.shape)
                return y
        xp = pad_image(x, pads, -np.inf)
        y, index = running_max(xp, kernel, stride, dilation, out)
        ctx.save(
            blocks=None,  # a CPUGraph replays forward on one ctx: say which path this one took
            index=index,
            padded_shape=xp.shape,
            pads=pads,
            kernel=kernel,
            stride=stride,
            dilation=dilation,
            out=out,
        )
        return y

    @staticmethod
    def backward(ctx, grad_y):
        if ctx.blocks is not None:
            return block_max_grad(ctx.blocks, ctx.y, grad_y, ctx.image_shape)
        image = np.zeros(ctx.padded_shape, dtype=grad_y.dtype)
        for k, (p, q) in enumerate(np.ndindex(*ctx.kernel)):
            image[(..., *tap(p, q, ctx.out, ctx.stride, ctx.dilation))] += np.where(
                ctx.index == k, grad_y, 0
            )
        return crop_image(image, ctx.pads)


class AvgPool2d(Function):
    """y = sum of each window / divisor; dL/dx spreads g / divisor evenly over the window.

    ``divisor`` (OH, OW) counts what torch divides by: the window's cells inside the padded
    input (count_include_pad), or inside the input only, or a fixed divisor_override.
    """

    @staticmethod
    def forward(ctx, x, *, kernel, stride, pads, divisor):
        xp = pad_image(x, pads)
        out = divisor.shape
        total = np.zeros(x.shape[:-2] + out, dtype=x.dtype)
        for p, q in np.ndindex(*kernel):
            total += xp[(..., *tap(p, q, out, stride, (1, 1)))]
        ctx.save(divisor=divisor, padded_shape=xp.shape, pads=pads, kernel=kernel, stride=stride)
        return total / divisor

    @staticmethod
    def backward(ctx, grad_y):
        share = grad_y / ctx.divisor
        image = np.zeros(ctx.padded_shape, dtype=grad_y.dtype)
        for p, q in np.ndindex(*ctx.kernel):
            image[(..., *tap(p, q, ctx.divisor.shape, ctx.stride, (1, 1)))] += share
        return crop_image(image, ctx.pads)


class AdaptiveAvgPool2d(Function):
    """y = A_h x A_w^T, with A (out, in) averaging rows: A[i, k] = 1 / len(window i) inside it.

    torch's windows run from floor(i in / out) to ceil((i + 1) in / out); a rectangle's mean
    is the row mean of the column means, so the op is two small matrix products, and its
    gradient the same two transposed: dL/dx = A_h^T G A_w.
    """

    @staticmethod
    def forward(ctx, x, *, rows, cols):
        ctx.save(rows=rows, cols=cols)
        return rows @ x @ cols.T

    @staticmethod
    def backward(ctx, grad_y):
        return ctx.rows.T @ grad_y @ ctx.cols


def running_max(xp: np.ndarray, kernel: Pair, stride: Pair, dilation: Pair, out: Pair) -> tuple:
    """Each window's maximum and the kernel position k (row-major) it was found at."""
    y = index = None
    for k, (p, q) in enumerate(np.ndindex(*kernel)):
        value = xp[(..., *tap(p, q, out, stride, dilation))]
        if y is None:
            small = kernel[0] * kernel[1] <= 256  # a byte per output is enough for most kernels
            y, index = value.copy(), np.zeros(value.shape, dtype=np.uint8 if small else np.int32)
            continue
        better = value > y
        better |= np.isnan(value)
        np.copyto(y, value, where=better)
        np.copyto(index, k, where=better)
    return y, index


def _flat_indices(x: np.ndarray, kernel, stride, pads, dilation, out) -> np.ndarray:
    """torch's return_indices: each maximum's position in its (H, W) plane, flattened."""
    _, k = running_max(pad_image(x, pads, -np.inf), kernel, stride, dilation, out)
    rows = np.arange(out[0])[:, None] * stride[0] + (k // kernel[1]) * dilation[0] - pads[0][0]
    cols = np.arange(out[1]) * stride[1] + (k % kernel[1]) * dilation[1] - pads[1][0]
    return (rows * x.shape[-1] + cols).astype(np.int64)


def _image(who: str, x: Any) -> None:
    if x.ndim not in (3, 4):
        fail_shape(who, "inputs of shape (N, C, H, W) or (C, H, W)", shape_str(x.shape))
    if x.dtype.kind != "f":
        fail_value(who, "floating-point inputs", f"dtype {x.dtype}")


def _pool_sizes(
    who: str, x: Any, kernel_size: Any, stride: Any, padding: Any, dilation: Any, ceil_mode: bool
) -> tuple[Pair, Pair, Pair, Pair, tuple[Pair, Pair], Pair]:
    kernel = pair(kernel_size, who, "kernel_size")
    stride = (
        kernel if stride is None or stride == () or stride == [] else pair(stride, who, "stride")
    )
    padding, dilation = pair(padding, who, "padding"), pair(dilation, who, "dilation")
    check_sizes(who, kernel, stride, dilation, padding)
    spans = [dilation[a] * (kernel[a] - 1) + 1 for a in range(2)]
    if any(padding[a] > kernel[a] // 2 for a in range(2)):  # torch: the undilated kernel
        fail_value(who, f"padding at most half the kernel {shape_str(kernel)}", str(padding))
    _image(who, x)
    out = check_fits(
        who, x.shape, kernel, stride, dilation, (2 * padding[0], 2 * padding[1]), ceil_mode, padding
    )
    # In ceil_mode the last window may hang past the padded input: pad on, so every window exists.
    extra = [
        max(0, (out[a] - 1) * stride[a] + spans[a] - (x.shape[-2 + a] + 2 * padding[a]))
        for a in range(2)
    ]
    pads = ((padding[0], padding[0] + extra[0]), (padding[1], padding[1] + extra[1]))
    return kernel, stride, padding, dilation, pads, out


def max_pool2d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
):
    """torch.nn.functional.max_pool2d; ``stride`` defaults to the kernel size.

    >>> import numpy as np, chainrule as cr
    >>> x = cr.tensor(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> cr.functional.max_pool2d(x, 2).numpy()[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    check_tensor("max_pool2d", input)
    who = f"max_pool2d(kernel_size={kernel_size!r}, stride={stride!r}, padding={padding!r})"
    kernel, stride, _, dilation, pads, out = _pool_sizes(
        who, input, kernel_size, stride, padding, dilation, ceil_mode
    )
    y = MaxPool2d.apply(input, kernel=kernel, stride=stride, pads=pads, dilation=dilation, out=out)
    if not return_indices:
        return y
    index = record_call(_flat_indices, input._data, kernel, stride, pads, dilation, out)
    return y, input._wrap(index)


def avg_pool2d(
    input: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
):
    """torch.nn.functional.avg_pool2d; ``stride`` defaults to the kernel size."""
    check_tensor("avg_pool2d", input)
    who = f"avg_pool2d(kernel_size={kernel_size!r}, stride={stride!r}, padding={padding!r})"
    kernel, stride, padding, _, pads, out = _pool_sizes(
        who, input, kernel_size, stride, padding, 1, ceil_mode
    )
    if divisor_override is not None:
        if not isinstance(divisor_override, (int, np.integer)) or divisor_override == 0:
            fail_value(who, "a nonzero integer divisor_override", repr(divisor_override))
        divisor = np.full(out, divisor_override, dtype=input.dtype)
    else:
        h, w = input.shape[-2:]
        counted = np.zeros((h + sum(pads[0]), w + sum(pads[1])), dtype=input.dtype)
        if count_include_pad:  # torch counts the padding but not the ceil_mode overhang
            counted[: h + 2 * padding[0], : w + 2 * padding[1]] = 1
        else:
            counted[padding[0] : padding[0] + h, padding[1] : padding[1] + w] = 1
        divisor = windows(counted, kernel, stride, (1, 1), out).sum(axis=(-2, -1))
    return AvgPool2d.apply(input, kernel=kernel, stride=stride, pads=pads, divisor=divisor)


def adaptive_avg_pool2d(input: Any, output_size: Any):
    """torch.nn.functional.adaptive_avg_pool2d: average into an output of a fixed size.

    ``output_size`` is an int, a pair, or a pair with None (keep that axis's size).
    """
    check_tensor("adaptive_avg_pool2d", input)
    who = f"adaptive_avg_pool2d(output_size={output_size!r})"
    _image(who, input)
    h, w = input.shape[-2:]
    if isinstance(output_size, (tuple, list)) and len(output_size) == 2:
        output_size = (
            h if output_size[0] is None else output_size[0],
            w if output_size[1] is None else output_size[1],
        )
    size = pair(output_size, who, "output_size")
    if min(size) < 0:  # a size of 0 gives an empty output, as torch
        fail_value(who, "output sizes >= 0", str(size))
    if min(h, w) < 1:
        fail_shape(who, "a non-empty image", shape_str(input.shape))
    return AdaptiveAvgPool2d.apply(
        input, rows=_averaging(h, size[0], input.dtype), cols=_averaging(w, size[1], input.dtype)
    )


def _averaging(size: int, out: int, dtype: Any) -> np.ndarray:
    matrix = np.zeros((out, size), dtype=dtype)
    for i in range(out):
        start, stop = (i * size) // out, -((-(i + 1) * size) // out)
        matrix[i, start:stop] = 1.0 / (stop - start)
    return matrix
