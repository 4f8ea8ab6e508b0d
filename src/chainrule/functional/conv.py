"""Convolution (torch's cross-correlation) as im2col + one matrix product per group.

Why im2col + GEMM: on the CNN benchmarks (bench/w5_cnn_digits.py, bench/w6_cnn_mnist.py) it
was measured against the alternative that skips the patch matrix and adds kh * kw smaller
products of shifted views (``x[..., p::s, q::s]`` times ``w[:, :, p, q]``). One large product
keeps BLAS busy where the kh * kw small ones pay Python and call overhead kh * kw times in
forward and twice more in backward, and the patch matrix saved in forward is reused by the
weight gradient; see bench/RESULTS.md for the figures. It is also the book's explanation.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import fail_shape, fail_value, shape_str
from ..autograd.function import Function
from .unfold import Pair, check_fits, check_sizes, crop_image, fold, pad_image, pair, windows


class Conv2d(Function):
    """y[n, o] = b[o] + sum_{c, p, q} w[o, c, p, q] x_pad[n, c, i s + p d, j s + q d], per group.

    With X_col the patch matrix (im2col) and W the weights as rows, Y = X_col W^T + b, so
    dL/dW = G^T X_col (the notebook's grad_theta again), dL/db = sum of G, and
    dL/dx = fold(G W): each patch's gradient added back where the patch was read.
    """

    @staticmethod
    def forward(ctx, x, weight, bias=None, *, stride, pads, dilation, groups, out):
        n = x.shape[0]
        out_ch, in_per_group, kh, kw = weight.shape
        xp = pad_image(x, pads)
        patches = windows(xp, (kh, kw), stride, dilation, out)  # (N, C, OH, OW, kh, kw)
        y = np.empty((n, out[0], out[1], out_ch), dtype=x.dtype)
        per_out = out_ch // groups
        cols = []
        for g in range(groups):
            part = patches[:, g * in_per_group:(g + 1) * in_per_group]
            # im2col: one row per output pixel, one column per (channel, kernel row, kernel col).
            col = part.transpose(0, 2, 3, 1, 4, 5).reshape(n * out[0] * out[1], -1)
            w_rows = weight[g * per_out:(g + 1) * per_out].reshape(per_out, -1)
            y[..., g * per_out:(g + 1) * per_out] = (col @ w_rows.T).reshape(n, out[0], out[1], per_out)
            cols.append(col)
        if bias is not None:
            y += bias
        ctx.save(cols=cols, weight=weight, padded_shape=xp.shape, pads=pads, stride=stride,
                 dilation=dilation, groups=groups, out=out)
        return y.transpose(0, 3, 1, 2)

    @staticmethod
    def backward(ctx, grad_y):
        weight, groups, needs = ctx.weight, ctx.groups, ctx.needs_input_grad
        out_ch, in_per_group, kh, kw = weight.shape
        per_out = out_ch // groups
        n, (oh, ow) = grad_y.shape[0], ctx.out
        rows = grad_y.transpose(0, 2, 3, 1).reshape(n * oh * ow, out_ch)  # G, one row per pixel
        grad_x = grad_weight = None
        if needs[0]:
            image_cols = np.empty((n, oh, ow, groups * in_per_group, kh, kw), dtype=grad_y.dtype)
        if needs[1]:
            grad_weight = np.empty_like(weight)
        for g in range(groups):
            g_rows = rows[:, g * per_out:(g + 1) * per_out]
            w_rows = weight[g * per_out:(g + 1) * per_out].reshape(per_out, -1)
            if needs[0]:
                image_cols[:, :, :, g * in_per_group:(g + 1) * in_per_group] = (g_rows @ w_rows).reshape(
                    n, oh, ow, in_per_group, kh, kw)
            if needs[1]:
                grad_weight[g * per_out:(g + 1) * per_out] = (g_rows.T @ ctx.cols[g]).reshape(
                    per_out, in_per_group, kh, kw)
        if needs[0]:
            image = fold(image_cols.transpose(0, 3, 1, 2, 4, 5), ctx.padded_shape, (kh, kw), ctx.stride,
                         ctx.dilation)
            grad_x = crop_image(image, ctx.pads)
        grad_bias = rows.sum(axis=0) if len(needs) > 2 and needs[2] else None
        return grad_x, grad_weight, grad_bias


class Conv1d(Function):
    """The 1-D convolution is the 2-D one on images of height 1: same formula, same gradient."""

    @staticmethod
    def forward(ctx, x, weight, bias=None, *, stride, pads, dilation, groups, out):
        y = Conv2d.forward(ctx, x[:, :, None, :], weight[:, :, None, :], bias, stride=(1, stride),
                           pads=((0, 0), pads), dilation=(1, dilation), groups=groups, out=(1, out))
        return y[:, :, 0, :]

    @staticmethod
    def backward(ctx, grad_y):
        grad_x, grad_weight, grad_bias = Conv2d.backward(ctx, grad_y[:, :, None, :])
        return (None if grad_x is None else grad_x[:, :, 0, :],
                None if grad_weight is None else grad_weight[:, :, 0, :], grad_bias)


def conv2d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1):
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


def conv1d(input: Any, weight: Any, bias: Any = None, stride: int = 1, padding: Any = 0,
           dilation: int = 1, groups: int = 1):
    """torch.nn.functional.conv1d: (N, C, L) with weight (O, C / groups, k); padding as in conv2d."""
    stride, dilation = _int(stride, "stride"), _int(dilation, "dilation")
    who = f"conv1d(stride={stride}, padding={padding!r}, dilation={dilation}, groups={groups})"
    if input.ndim == 2:
        y = conv1d(input.reshape(1, *input.shape), weight, bias, stride, padding, dilation, groups)
        return y.reshape(y.shape[1:])
    kernel = _check_layout(who, input, weight, bias, groups, 3, "(N, C, L)")
    pads = _pads(who, padding if isinstance(padding, str) else (0, _int(padding, "padding")),
                 (1, kernel[0]), (1, stride), (1, dilation))
    check_sizes(who, (1, kernel[0]), (1, stride), (1, dilation), (0, pads[1][0]))
    out = check_fits(who, (1,) + tuple(input.shape), (1, kernel[0]), (1, stride), (1, dilation),
                     (0, sum(pads[1])))
    args = (input, weight) if bias is None else (input, weight, bias)
    return Conv1d.apply(*args, stride=stride, pads=pads[1], dilation=dilation, groups=groups, out=out[1])


def _int(value: Any, name: str) -> int:
    if isinstance(value, (tuple, list)) and len(value) == 1:
        value = value[0]
    if not isinstance(value, (int, np.integer)):
        fail_value("conv1d", f"{name} as an int", repr(value))
    return int(value)


def _check_layout(who: str, x: Any, weight: Any, bias: Any, groups: int, ndim: int, layout: str) -> tuple:
    """Channel and group checks at the boundary, before NumPy broadcasts anything silently."""
    if not isinstance(groups, (int, np.integer)) or groups < 1:
        fail_value(who, "groups >= 1", repr(groups))
    if weight.ndim != ndim:
        fail_shape(who, f"a weight with {ndim} axes (out_channels, in_channels / groups, kernel...)",
                   shape_str(weight.shape))
    if x.ndim != ndim:
        fail_shape(who, f"inputs of shape {layout}", shape_str(x.shape))
    if weight.shape[0] % groups:
        fail_value(who, f"out_channels divisible by groups={groups}", f"weight of shape {shape_str(weight.shape)}")
    if x.shape[1] != weight.shape[1] * groups:
        fail_shape(who, f"inputs with {weight.shape[1] * groups} channels (weight {shape_str(weight.shape)} "
                   f"x groups={groups})", f"{x.shape[1]} channels in {shape_str(x.shape)}",
                   "the layer's in_channels must equal the input's axis 1.")
    if bias is not None and tuple(bias.shape) != (weight.shape[0],):
        fail_shape(who, f"a bias of shape ({weight.shape[0]},)", shape_str(bias.shape))
    if x.dtype.kind != "f":
        from .._checks import fail_dtype

        fail_dtype(who, "floating-point inputs", f"dtype {x.dtype}", f"convert with x.astype(np.{weight.dtype}).")
    return tuple(weight.shape[2:])


def _pads(who: str, padding: Any, kernel: Pair, stride: Pair, dilation: Pair) -> tuple[Pair, Pair]:
    """((top, bottom), (left, right)) from torch's padding argument."""
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        if stride != (1, 1):
            fail_value(who, "stride 1 with padding='same'", f"stride {stride}",
                       "torch does not support 'same' with a stride; give the padding as numbers.")
        totals = [dilation[a] * (kernel[a] - 1) for a in range(2)]
        return tuple((t // 2, t - t // 2) for t in totals)  # type: ignore[return-value]
    if isinstance(padding, str):
        fail_value(who, "padding as an int, a pair, 'valid' or 'same'", repr(padding))
    top, left = pair(padding, who, "padding")
    return (top, top), (left, left)

