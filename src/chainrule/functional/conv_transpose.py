"""Transposed convolution: the convolution's input gradient, run forward.

A convolution maps x to W X_col; its input gradient folds W^T G back onto the image. The
transposed convolution is exactly that map, so its forward is one product per group and a
``fold`` (col2im), and its backward is the convolution's forward (``windows``, im2col) for
dL/dx plus one product for dL/dW. No new loops: the helpers are the convolution's own.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import fail_dtype, fail_shape, fail_value, shape_str
from ..autograd.function import Function
from .conv import height_one, on_height_one
from .conv_flat import fold_wide, widen
from .unfold import Pair, crop_image, fold, pad_image, pair, windows


class ConvTranspose2d(Function):
    """y = crop(fold(W^T X) + b): each input pixel scatters its kernel-weighted copy onto y.

    With weight (C_in, C_out / groups, kh, kw), the forward is Conv2d's dL/dx with x in the
    place of G. Backward: dL/dx = W G_col (G_col the im2col of the padded upstream gradient,
    the conv's forward), dL/dW = X G_col^T, dL/db = the sum of G over all but channels.
    """

    @staticmethod
    def forward(ctx, x, weight, bias=None, *, stride, pads, dilation, groups, full):
        n, c_in, h, w = x.shape
        in_per_group, out_per_group, kh, kw = weight.shape[0] // groups, *weight.shape[1:]
        rows = x.transpose(1, 0, 2, 3).reshape(c_in, -1)  # one column per input pixel
        # stride 1: fold on the padded-width grid, in long runs (conv_flat.py); not with an
        # inf or NaN weight (its products with the zero columns would spill NaN: conv.py)
        wide = (
            widen(rows, (c_in, n, h, w), full[1])
            if stride == (1, 1) and np.isfinite(weight).all()
            else None
        )
        parts = []
        for g in range(groups):
            w_group = weight[g * in_per_group : (g + 1) * in_per_group]
            # Kernel position first, so fold adds contiguous (C, N, H, W) blocks.
            w_by_tap = w_group.transpose(2, 3, 1, 0).reshape(kh * kw * out_per_group, -1)
            x_rows = (rows if wide is None else wide)[g * in_per_group : (g + 1) * in_per_group]
            parts.append((w_by_tap @ x_rows).reshape(kh, kw, out_per_group, n, -1))
        cols = parts[0] if groups == 1 else np.concatenate(parts, axis=2)
        shape = (out_per_group * groups, n, *full)
        if wide is None:
            image = fold(cols.reshape(*cols.shape[:-1], h, w), shape, (kh, kw), stride, dilation)
        else:
            image = fold_wide(cols, shape, dilation)
        y = crop_image(image, pads)
        if bias is not None:
            y += bias.reshape(-1, 1, 1, 1)
        ctx.save(rows=rows, weight=weight, pads=pads, stride=stride, dilation=dilation)
        ctx.save(groups=groups, size=(h, w))
        return y.transpose(1, 0, 2, 3)

    @staticmethod
    def backward(ctx, grad_y):
        weight, groups, needs = ctx.weight, ctx.groups, ctx.needs_input_grad
        c_in, out_per_group, kh, kw = weight.shape
        in_per_group, (h, w), n = c_in // groups, ctx.size, grad_y.shape[0]
        gp = pad_image(grad_y, ctx.pads)
        patches = windows(gp, (kh, kw), ctx.stride, ctx.dilation, (h, w))  # (N, O, H, W, kh, kw)
        grad_parts, weight_parts = [], []
        for g in range(groups):
            part = patches[:, g * out_per_group : (g + 1) * out_per_group]
            col = part.transpose(1, 4, 5, 0, 2, 3).reshape(out_per_group * kh * kw, -1)
            if needs[0]:
                w_group = weight[g * in_per_group : (g + 1) * in_per_group]
                grad_parts.append(w_group.reshape(in_per_group, -1) @ col)
            if needs[1]:
                x_rows = ctx.rows[g * in_per_group : (g + 1) * in_per_group]
                weight_parts.append((x_rows @ col.T).reshape(in_per_group, out_per_group, kh, kw))
        grad_x = grad_weight = None
        if needs[0]:
            grad_x = grad_parts[0] if groups == 1 else np.concatenate(grad_parts)
            grad_x = grad_x.reshape(c_in, n, h, w).transpose(1, 0, 2, 3)
        if needs[1]:
            grad_weight = weight_parts[0] if groups == 1 else np.concatenate(weight_parts)
        grad_bias = grad_y.sum(axis=(0, 2, 3)) if len(needs) > 2 and needs[2] else None
        return grad_x, grad_weight, grad_bias


class ConvTranspose1d(Function):
    """The 1-D transposed convolution is the 2-D one on images of height 1."""

    @staticmethod
    def forward(ctx, x, weight, bias=None, *, stride, pads, dilation, groups, full):
        forward_2d = ConvTranspose2d.forward
        return on_height_one(
            forward_2d, ctx, x, weight, bias, stride, pads, dilation, groups, full=full
        )

    @staticmethod
    def backward(ctx, grad_y):
        return height_one(ConvTranspose2d.backward(ctx, grad_y[:, :, None, :]))


def conv_transpose2d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
):
    """torch.nn.functional.conv_transpose2d: (N, C_in, H, W) or (C_in, H, W), weight
    (C_in, C_out / groups, kh, kw). Note torch's argument order: groups before dilation.

    H_out = (H - 1) stride - 2 padding + dilation (kh - 1) + output_padding + 1.

    >>> import numpy as np, chainrule as cr
    >>> x = cr.tensor(np.ones((1, 1, 2, 2), dtype=np.float32))
    >>> w = cr.tensor(np.ones((1, 1, 2, 2), dtype=np.float32))
    >>> cr.functional.conv_transpose2d(x, w).numpy()[0, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]], dtype=float32)
    """
    who = "conv_transpose2d"
    sizes = [pair(v, who, name) for v, name in _named(stride, padding, output_padding, dilation)]
    if input.ndim == 3:  # an unbatched image, as torch accepts
        y = conv_transpose2d(
            input.reshape(1, *input.shape), weight, bias, *sizes[:3], groups, sizes[3]
        )
        return y.reshape(y.shape[1:])
    kernel = _check(who, input, weight, bias, groups, 4, "(N, C_in, H, W)")
    full = _full(who, input.shape[2:], kernel, *sizes)
    (s, p, _, d) = sizes
    pads = ((p[0], p[0]), (p[1], p[1]))
    args = (input, weight) if bias is None else (input, weight, bias)
    return ConvTranspose2d.apply(*args, stride=s, pads=pads, dilation=d, groups=groups, full=full)


def conv_transpose1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
):
    """torch.nn.functional.conv_transpose1d: (N, C_in, L) or (C_in, L), weight (C_in, C_out / groups, k)."""
    who = "conv_transpose1d"
    sizes = [_one(v, who, name) for v, name in _named(stride, padding, output_padding, dilation)]
    if input.ndim == 2:
        y = conv_transpose1d(
            input.reshape(1, *input.shape), weight, bias, *sizes[:3], groups, sizes[3]
        )
        return y.reshape(y.shape[1:])
    kernel = _check(who, input, weight, bias, groups, 3, "(N, C_in, L)")
    (s, p, extra, d) = sizes
    full = _full(who, (1, input.shape[2]), (1, *kernel), (1, s), (0, p), (0, extra), (1, d))[1]
    args = (input, weight) if bias is None else (input, weight, bias)
    return ConvTranspose1d.apply(*args, stride=s, pads=(p, p), dilation=d, groups=groups, full=full)


def _named(stride: Any, padding: Any, output_padding: Any, dilation: Any) -> list:
    return [
        (stride, "stride"),
        (padding, "padding"),
        (output_padding, "output_padding"),
        (dilation, "dilation"),
    ]


def _one(value: Any, who: str, name: str) -> int:
    if isinstance(value, (tuple, list)) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        fail_value(who, f"{name} as an int", repr(value))
    return int(value)


def _full(
    who: str, size: Any, kernel: Pair, stride: Pair, padding: Pair, extra: Pair, dilation: Pair
) -> Pair:
    """The uncropped output size per axis; refuses what torch refuses, before any work."""
    full = []
    for a in range(2):
        if stride[a] < 1 or dilation[a] < 1 or padding[a] < 0 or extra[a] < 0:
            fail_value(
                who,
                "stride >= 1, dilation >= 1, padding >= 0 and output_padding >= 0",
                f"stride {stride}, dilation {dilation}, padding {padding}, output_padding {extra}",
            )
        if extra[a] >= max(stride[a], dilation[a]):
            fail_value(
                who,
                "output_padding smaller than either stride or dilation",
                f"output_padding {extra}, stride {stride}, dilation {dilation}",
            )
        span = (size[a] - 1) * stride[a] + dilation[a] * (kernel[a] - 1) + 1 + extra[a]
        if span - 2 * padding[a] < 1:
            fail_shape(
                who,
                "padding that leaves an output of at least one pixel",
                f"padding {padding} on an output of {span} before cropping",
            )
        full.append(span)
    return full[0], full[1]


def _check(who: str, x: Any, weight: Any, bias: Any, groups: Any, ndim: int, layout: str) -> tuple:
    """Channel and group checks at the boundary, before NumPy broadcasts anything silently."""
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
        fail_value(who, "groups >= 1", repr(groups))
    if weight.ndim != ndim:
        fail_shape(
            who,
            f"a weight with {ndim} axes (in_channels, out_channels / groups, kernel...)",
            shape_str(weight.shape),
        )
    if x.ndim != ndim:
        fail_shape(who, f"inputs of shape {layout}", shape_str(x.shape))
    if weight.shape[0] % groups:
        fail_value(
            who, f"in_channels divisible by groups={groups}", f"weight {shape_str(weight.shape)}"
        )
    if x.shape[1] != weight.shape[0]:
        fail_shape(
            who,
            f"inputs with {weight.shape[0]} channels (weight {shape_str(weight.shape)})",
            f"{x.shape[1]} channels in {shape_str(x.shape)}",
            "a transposed convolution's weight is (in_channels, out_channels / groups, kernel...).",
        )
    if bias is not None and tuple(bias.shape) != (weight.shape[1] * groups,):
        fail_shape(who, f"a bias of shape ({weight.shape[1] * groups},)", shape_str(bias.shape))
    if x.dtype.kind != "f":
        fail_dtype(who, "floating-point inputs", f"dtype {x.dtype}")
    return tuple(weight.shape[2:])
