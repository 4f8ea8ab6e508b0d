"""Convolution (torch's cross-correlation) as im2col + one matrix product per group.

Why im2col + GEMM, by measurement (bench/conv_choice.py, forward and both gradients of a 3x3
convolution in float32, one BLAS thread): at MNIST size (128x16x28x28 -> 32 channels) it takes
87 ms against 145 ms for the alternative that never builds the patch matrix and adds kh * kw
products of shifted views; at digits size (64x16x8x8) the two are even (5.9 ms against 5.3 ms).
One large product keeps BLAS busy where kh * kw small ones pay call overhead three times over,
the patch matrix saved in forward is reused by the weight gradient, and it is the book's
explanation of convolution. The patch matrix is laid out (C kh kw, N OH OW) so that building
it copies whole output rows at a time (bench/RESULTS.md has the figures and a profile).
One large product per group, not one per image: a batched matmul ran a little faster on one
BLAS thread but pays the thread pool's start and join per image on two (10x slower under
load). With stride 1, dL/dx is folded on the padded-width grid (conv_flat.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, fail_dtype, fail_shape, fail_value, shape_str
from ..autograd.function import Function
from .conv_flat import fold_wide, widen
from .unfold import Pair, check_fits, check_sizes, crop_image, fold, pad_image, pair, windows


class Conv2d(Function):
    """y[n, o] = b[o] + sum_{c, p, q} w[o, c, p, q] x_pad[n, c, i s + p d, j s + q d], per group.

    With X_col the patch matrix (im2col: one column per output pixel, one row per (channel,
    kernel row, kernel column)) and W the weights as rows, Y = W X_col + b, so
    dL/dW = G X_col^T (the notebook's grad_theta again), dL/db = sum of G, and
    dL/dx = fold(W^T G): each patch's gradient added back where the patch was read.
    """

    @staticmethod
    def forward(ctx, x, weight, bias=None, *, stride, pads, dilation, groups, out):
        n = x.shape[0]
        out_ch, in_per_group, kh, kw = weight.shape
        per_out = out_ch // groups
        xp = pad_image(x, pads)
        patches = windows(xp, (kh, kw), stride, dilation, out)  # (N, C, OH, OW, kh, kw), a view
        cols, parts = [], []
        for g in range(groups):
            part = patches[:, g * in_per_group : (g + 1) * in_per_group]
            # Rows (c, p, q), columns (n, i, j): the copy reads whole output rows at a time.
            col = part.transpose(1, 4, 5, 0, 2, 3).reshape(in_per_group * kh * kw, -1)
            parts.append(weight[g * per_out : (g + 1) * per_out].reshape(per_out, -1) @ col)
            cols.append(col)
        y = (parts[0] if groups == 1 else np.concatenate(parts)).reshape(out_ch, n, out[0], out[1])
        if bias is not None:
            y += bias.reshape(-1, 1, 1, 1)
        ctx.save(
            cols=cols,
            weight=weight,
            padded_shape=xp.shape,
            pads=pads,
            stride=stride,
            dilation=dilation,
            groups=groups,
            out=out,
        )
        return y.transpose(1, 0, 2, 3)

    @staticmethod
    def backward(ctx, grad_y):
        weight, groups, needs = ctx.weight, ctx.groups, ctx.needs_input_grad
        out_ch, in_per_group, kh, kw = weight.shape
        per_out = out_ch // groups
        n, (oh, ow) = grad_y.shape[0], ctx.out
        _, c, hp, wp = ctx.padded_shape
        rows = grad_y.transpose(1, 0, 2, 3).reshape(out_ch, -1)  # G: one column per output pixel
        # stride 1: dL/dx on the padded-width grid, where fold adds long runs (conv_flat.py);
        # not with an inf or NaN weight, whose products with the zero columns (NaN) would spill
        # onto the next row's pixels, where torch's sum has no such term
        wide = (
            widen(rows, (out_ch, n, oh, ow), wp)
            if needs[0] and ctx.stride == (1, 1) and np.isfinite(weight).all()
            else None
        )
        grad_x = grad_weight = None
        grad_parts, weight_parts = [], []
        for g in range(groups):
            g_rows = rows[g * per_out : (g + 1) * per_out]
            w_group = weight[g * per_out : (g + 1) * per_out]
            if needs[0]:
                # Kernel position first, so fold adds contiguous (C, N, ...) blocks.
                w_by_tap = w_group.transpose(2, 3, 1, 0).reshape(kh * kw * in_per_group, per_out)
                g_in = g_rows if wide is None else wide[g * per_out : (g + 1) * per_out]
                grad_parts.append((w_by_tap @ g_in).reshape(kh, kw, in_per_group, n, -1))
            if needs[1]:
                weight_parts.append((g_rows @ ctx.cols[g].T).reshape(per_out, in_per_group, kh, kw))
        if needs[1]:
            grad_weight = weight_parts[0] if groups == 1 else np.concatenate(weight_parts)
        if needs[0]:
            grad_cols = grad_parts[0] if groups == 1 else np.concatenate(grad_parts, axis=2)
            if wide is None:
                grad_cols = grad_cols.reshape(kh, kw, c, n, oh, ow)
                image = fold(grad_cols, (c, n, hp, wp), (kh, kw), ctx.stride, ctx.dilation)
            else:
                image = fold_wide(grad_cols, (c, n, hp, wp), ctx.dilation)
            grad_x = crop_image(image, ctx.pads).transpose(1, 0, 2, 3)
        grad_bias = rows.sum(axis=1) if len(needs) > 2 and needs[2] else None
        return grad_x, grad_weight, grad_bias


class Conv1d(Function):
    """The 1-D convolution is the 2-D one on images of height 1: same formula, same gradient."""

    @staticmethod
    def forward(ctx, x, weight, bias=None, *, stride, pads, dilation, groups, out):
        return on_height_one(
            Conv2d.forward, ctx, x, weight, bias, stride, pads, dilation, groups, out=out
        )

    @staticmethod
    def backward(ctx, grad_y):
        return height_one(Conv2d.backward(ctx, grad_y[:, :, None, :]))


def on_height_one(forward_2d, ctx, x, weight, bias, stride, pads, dilation, groups, **size):
    """A 1-D op's forward as its 2-D op's on height-1 images (Conv1d, ConvTranspose1d); ``size``
    is the one length argument that differs between them, given for the width."""
    y = forward_2d(
        ctx,
        x[:, :, None, :],
        weight[:, :, None, :],
        bias,
        stride=(1, stride),
        pads=((0, 0), pads),
        dilation=(1, dilation),
        groups=groups,
        **{name: (1, value) for name, value in size.items()},
    )
    return y[:, :, 0, :]


def height_one(grads: tuple) -> tuple:
    """A 1-D op's gradients from its 2-D op's on height-1 images (Conv1d, ConvTranspose1d)."""
    grad_x, grad_weight, grad_bias = grads
    return (
        None if grad_x is None else grad_x[:, :, 0, :],
        None if grad_weight is None else grad_weight[:, :, 0, :],
        grad_bias,
    )


def conv2d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
):
    """torch.nn.functional.conv2d: (N, C, H, W) or (C, H, W) with weight (O, C / groups, kh, kw).

    ``padding`` is an int, a pair, 'valid' (none) or 'same' (the output keeps the input's
    size; stride must be 1; an odd total padding puts the extra row and column at the end,
    as torch does).

    >>> import numpy as np, chainrule as cr
    >>> x = cr.tensor(np.ones((1, 1, 4, 4), dtype=np.float32))
    >>> w = cr.tensor(np.ones((1, 1, 3, 3), dtype=np.float32))
    >>> cr.functional.conv2d(x, w, padding=1).numpy()[0, 0]
    array([[4., 6., 6., 4.],
           [6., 9., 9., 6.],
           [6., 9., 9., 6.],
           [4., 6., 6., 4.]], dtype=float32)
    """
    check_tensor("conv2d", input)
    stride, dilation = pair(stride, "conv2d", "stride"), pair(dilation, "conv2d", "dilation")
    who = f"conv2d(stride={stride}, padding={padding!r}, dilation={dilation}, groups={groups})"
    if input.ndim == 3:  # an unbatched image, as torch accepts
        y = conv2d(input.reshape(1, *input.shape), weight, bias, stride, padding, dilation, groups)
        return y.reshape(y.shape[1:])
    kernel = _check_layout(who, input, weight, bias, groups, 4, "(N, C, H, W)")
    pads = _pads(who, padding, kernel, stride, dilation)
    check_sizes(who, kernel, stride, dilation, (pads[0][0], pads[1][0]))
    out = check_fits(who, input.shape, kernel, stride, dilation, (sum(pads[0]), sum(pads[1])))
    args = (input, weight) if bias is None else (input, weight, bias)
    return Conv2d.apply(*args, stride=stride, pads=pads, dilation=dilation, groups=groups, out=out)


def conv1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: int = 1,
    padding: Any = 0,
    dilation: int = 1,
    groups: int = 1,
):
    """torch.nn.functional.conv1d: (N, C, L) with weight (O, C / groups, k); padding as in conv2d."""
    check_tensor("conv1d", input)
    stride, dilation = _int(stride, "stride"), _int(dilation, "dilation")
    who = f"conv1d(stride={stride}, padding={padding!r}, dilation={dilation}, groups={groups})"
    if input.ndim == 2:
        y = conv1d(input.reshape(1, *input.shape), weight, bias, stride, padding, dilation, groups)
        return y.reshape(y.shape[1:])
    kernel = _check_layout(who, input, weight, bias, groups, 3, "(N, C, L)")
    pads = _pads(
        who,
        padding if isinstance(padding, str) else (0, _int(padding, "padding")),
        (1, kernel[0]),
        (1, stride),
        (1, dilation),
    )
    check_sizes(who, (1, kernel[0]), (1, stride), (1, dilation), (0, pads[1][0]))
    out = check_fits(
        who,
        (1,) + tuple(input.shape),
        (1, kernel[0]),
        (1, stride),
        (1, dilation),
        (0, sum(pads[1])),
    )
    args = (input, weight) if bias is None else (input, weight, bias)
    return Conv1d.apply(
        *args, stride=stride, pads=pads[1], dilation=dilation, groups=groups, out=out[1]
    )


def _int(value: Any, name: str) -> int:
    if isinstance(value, (tuple, list)) and len(value) == 1:
        value = value[0]
    if not isinstance(value, (int, np.integer)):
        fail_value("conv1d", f"{name} as an int", repr(value))
    return int(value)


def _check_layout(
    who: str, x: Any, weight: Any, bias: Any, groups: int, ndim: int, layout: str
) -> tuple:
    """Channel and group checks at the boundary, before NumPy broadcasts anything silently."""
    if not isinstance(groups, (int, np.integer)) or groups < 1:
        fail_value(who, "groups >= 1", repr(groups))
    if weight.ndim != ndim:
        fail_shape(
            who,
            f"a weight with {ndim} axes (out_channels, in_channels / groups, kernel...)",
            shape_str(weight.shape),
        )
    if x.ndim != ndim:
        fail_shape(who, f"inputs of shape {layout}", shape_str(x.shape))
    if weight.shape[0] % groups:
        fail_value(
            who,
            f"out_channels divisible by groups={groups}",
            f"weight of shape {shape_str(weight.shape)}",
        )
    if x.shape[1] != weight.shape[1] * groups:
        fail_shape(
            who,
            f"inputs with {weight.shape[1] * groups} channels (weight {shape_str(weight.shape)} "
            f"x groups={groups})",
            f"{x.shape[1]} channels in {shape_str(x.shape)}",
            "the layer's in_channels must equal the input's axis 1.",
        )
    if bias is not None and tuple(bias.shape) != (weight.shape[0],):
        fail_shape(who, f"a bias of shape ({weight.shape[0]},)", shape_str(bias.shape))
    if x.dtype.kind != "f":
        fail_dtype(
            who,
            "floating-point inputs",
            f"dtype {x.dtype}",
            f"convert with x.astype(np.{weight.dtype}).",
        )
    return tuple(weight.shape[2:])


def _pads(who: str, padding: Any, kernel: Pair, stride: Pair, dilation: Pair) -> tuple[Pair, Pair]:
    """((top, bottom), (left, right)) from torch's padding argument."""
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        if stride != (1, 1):
            fail_value(
                who,
                "stride 1 with padding='same'",
                f"stride {stride}",
                "torch does not support 'same' with a stride; give the padding as numbers.",
            )
        totals = [dilation[a] * (kernel[a] - 1) for a in range(2)]
        return tuple((t // 2, t - t // 2) for t in totals)  # type: ignore[return-value]
    if isinstance(padding, str):
        fail_value(who, "padding as an int, a pair, 'valid' or 'same'", repr(padding))
    top, left = pair(padding, who, "padding")
    return (top, top), (left, left)
