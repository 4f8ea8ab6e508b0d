"""Volumes: conv3d and max_pool3d as Functions (im2col over three axes, as conv.py does over
two), and conv_transpose3d, avg_pool3d, adaptive_avg_pool3d composed from them and einsum."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._checks import check_tensor, fail_shape, fail_value, shape_str
from ..autograd.function import Function
from .einsum import einsum
from .pooling import _averaging
from .unfold import out_size

Triple = tuple[int, int, int]


def triple(value: Any, who: str, name: str) -> Triple:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = (int(value),) * 3
    if isinstance(value, (tuple, list)) and len(value) == 3:
        if all(isinstance(v, (int, np.integer)) for v in value):
            # a kernel or stride of 0 divides by zero below; a negative pad or size NumPy refuses
            least = 1 if name in ("kernel_size", "stride", "dilation") else 0
            if min(value) < least:
                fail_value(who, f"{name} of ints >= {least}", repr(value))
            return tuple(int(v) for v in value)  # type: ignore[return-value]
    fail_value(who, f"{name} as an int or a triple of ints", repr(value))


def windows3d(xp: np.ndarray, kernel: Triple, stride: Triple, dilation: Triple, out: Triple):
    """A view (..., OD, OH, OW, kd, kh, kw) of every patch of the padded volume."""
    span = tuple(d * (k - 1) + 1 for d, k in zip(dilation, kernel))
    view = sliding_window_view(xp, span, axis=(-3, -2, -1))
    steps = tuple(slice(None, (o - 1) * s + 1, s) for o, s in zip(out, stride))
    return view[(..., *steps, slice(None, None, dilation[0]), slice(None, None, dilation[1]),
                 slice(None, None, dilation[2]))]  # fmt: skip


def fold3d(cols: np.ndarray, volume: np.ndarray, kernel: Triple, stride: Triple,
           dilation: Triple, out: Triple) -> np.ndarray:  # fmt: skip
    """col2im over three axes: cols (kd, kh, kw, ..., OD, OH, OW) added into ``volume`` where
    each was read; 27 strided additions for a 3x3x3 kernel, however large the volume."""
    for p in np.ndindex(*kernel):
        where = tuple(
            slice(p[a] * dilation[a], p[a] * dilation[a] + (out[a] - 1) * stride[a] + 1, stride[a])
            for a in range(3)
        )
        volume[(..., *where)] += cols[p]
    return volume


def _pad3(x: np.ndarray, padding: Triple, value: float = 0.0) -> np.ndarray:
    if not any(padding):
        return x
    widths = [(0, 0)] * (x.ndim - 3) + [(p, p) for p in padding]
    return np.pad(x, widths, constant_values=value)


def _crop3(volume: np.ndarray, padding: Triple) -> np.ndarray:
    return volume[(..., *(slice(p, volume.shape[-3 + a] - p) for a, p in enumerate(padding)))]


class Conv3d(Function):
    """y[n, o] = b[o] + sum over c and the kernel of w[o, c, p] x_pad[n, c, i s + p d], per group.

    As Conv2d: Y = W X_col + b, dL/dW = G X_col^T, dL/db = sum of G, dL/dx = fold3d(W^T G).
    """

    @staticmethod
    def forward(ctx, x, weight, bias=None, *, stride, padding, dilation, groups, out):
        n, out_ch, per_in = x.shape[0], weight.shape[0], weight.shape[1]
        kernel, per_out = weight.shape[2:], out_ch // groups
        xp = _pad3(x, padding)
        patches = windows3d(xp, kernel, stride, dilation, out)  # (N, C, OD, OH, OW, kd, kh, kw)
        cols, parts = [], []
        for g in range(groups):
            part = patches[:, g * per_in : (g + 1) * per_in]
            col = part.transpose(1, 5, 6, 7, 0, 2, 3, 4).reshape(per_in * int(np.prod(kernel)), -1)
            parts.append(weight[g * per_out : (g + 1) * per_out].reshape(per_out, -1) @ col)
            cols.append(col)
        y = np.concatenate(parts).reshape((out_ch, n) + out)
        if bias is not None:
            y += bias.reshape(-1, 1, 1, 1, 1)
        ctx.save(cols=cols, weight=weight, padded=xp.shape, padding=padding, stride=stride,
                 dilation=dilation, groups=groups, out=out)  # fmt: skip
        return y.transpose(1, 0, 2, 3, 4)

    @staticmethod
    def backward(ctx, grad_y):
        weight, groups, out = ctx.weight, ctx.groups, ctx.out
        out_ch, per_in, kernel = weight.shape[0], weight.shape[1], weight.shape[2:]
        per_out, n = out_ch // groups, grad_y.shape[0]
        g_rows = grad_y.transpose(1, 0, 2, 3, 4).reshape(out_ch, -1)
        # channels first, so that each kernel position's block of W^T G is one contiguous add
        padded = ctx.padded
        volume = np.zeros((padded[1], n) + padded[2:], dtype=grad_y.dtype)
        grad_w = []
        for g in range(groups):
            rows = g_rows[g * per_out : (g + 1) * per_out]
            grad_w.append((rows @ ctx.cols[g].T).reshape((per_out, per_in) + kernel))
            # W's rows reordered (kernel position, channel): W^T G comes out (p, c, n, o)
            w = weight[g * per_out : (g + 1) * per_out].transpose(0, 2, 3, 4, 1)
            cols = (w.reshape(per_out, -1).T @ rows).reshape(kernel + (per_in, n) + out)
            part = volume[g * per_in : (g + 1) * per_in]
            fold3d(cols, part, kernel, ctx.stride, ctx.dilation, out)
        grad_b = grad_y.sum(axis=(0, 2, 3, 4)) if len(ctx.needs_input_grad) > 2 else None
        grad_x = _crop3(volume, ctx.padding).transpose(1, 0, 2, 3, 4)
        return np.ascontiguousarray(grad_x), np.concatenate(grad_w), grad_b


def _out(who: str, shape: tuple, kernel: Triple, stride: Triple, padding: Triple,
         dilation: Triple, ceil_mode: bool = False) -> Triple:  # fmt: skip
    out = tuple(
        out_size(
            shape[-3 + a], kernel[a], stride[a], 2 * padding[a], dilation[a], ceil_mode, padding[a]
        )  # fmt: skip
        for a in range(3)
    )
    if min(out) < 1:
        fail_shape(who, "a padded input at least as large as the kernel", shape_str(shape))
    return out  # type: ignore[return-value]


def _volume(who: str, x: Any) -> Any:
    check_tensor(who, x)
    if x.ndim not in (4, 5):
        fail_shape(who, "inputs of shape (N, C, D, H, W) or (C, D, H, W)", shape_str(x.shape))
    return x if x.ndim == 5 else x.unsqueeze(0)


def conv3d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,  # noqa: A002
           dilation: Any = 1, groups: int = 1):  # fmt: skip
    """torch.nn.functional.conv3d over (N, C, D, H, W) or (C, D, H, W); padding is an int or
    a triple of ints."""
    who = "conv3d"
    x = _volume(who, input)
    stride, dilation = triple(stride, who, "stride"), triple(dilation, who, "dilation")
    padding = triple(padding, who, "padding")
    if weight.ndim != 5 or x.shape[1] != weight.shape[1] * groups or weight.shape[0] % groups:
        fail_shape(who, f"weight (C_out, C_in / groups, kd, kh, kw) for {x.shape[1]} input "
                   f"channels, groups={groups}", shape_str(weight.shape))  # fmt: skip
    kernel = tuple(weight.shape[2:])
    out = _out(who, tuple(x.shape), kernel, stride, padding, dilation)
    args = (x, weight) if bias is None else (x, weight, bias)
    y = Conv3d.apply(*args, stride=stride, padding=padding, dilation=dilation, groups=groups,
                     out=out)  # fmt: skip
    return y if input.ndim == 5 else y.squeeze(0)


def _spread(x: Any, stride: Triple) -> Any:
    """Insert stride - 1 zeros between neighbours along each volume axis (differentiably)."""
    for a, s in enumerate(stride):
        if s == 1:
            continue
        axis = x.ndim - 3 + a
        moved = x.unsqueeze(axis + 1)
        zeros = moved.detach() * 0
        x = moved if s == 1 else _cat([moved] + [zeros] * (s - 1), axis + 1)
        shape = list(x.shape)
        x = x.reshape(*shape[:axis], shape[axis] * s, *shape[axis + 2 :])
        x = x.narrow(axis, 0, x.shape[axis] - (s - 1))
    return x


def _cat(parts: list, axis: int) -> Any:
    from .shape import cat

    return cat(parts, axis)


def conv_transpose3d(input: Any, weight: Any, bias: Any = None, stride: Any = 1,  # noqa: A002
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1):  # fmt: skip
    """torch.nn.functional.conv_transpose3d, weight (C_in, C_out / groups, kd, kh, kw): a
    conv3d of the input spread by ``stride`` with the kernel flipped, composed exactly."""
    who = "conv_transpose3d"
    x = _volume(who, input)
    stride, dilation = triple(stride, who, "stride"), triple(dilation, who, "dilation")
    padding, extra = triple(padding, who, "padding"), triple(output_padding, who, "output_padding")
    if weight.ndim != 5 or weight.shape[0] != x.shape[1] or x.shape[1] % groups:
        fail_shape(who, f"weight (C_in={x.shape[1]}, C_out / groups, kd, kh, kw)",
                   shape_str(weight.shape))  # fmt: skip
    if any(e >= max(s, d) for e, s, d in zip(extra, stride, dilation)):
        fail_value(who, "output_padding smaller than stride or dilation", str(extra))
    c_in, per_out, kernel = weight.shape[0], weight.shape[1], weight.shape[2:]
    per_in = c_in // groups
    # (C_in, C_out/g, k) -> (C_out, C_in/g, k) per group, flipped in space
    w = weight.reshape(groups, per_in, per_out, *kernel).transpose(1, 2)
    w = w.reshape(groups * per_out, per_in, *kernel).flip((2, 3, 4))
    spread = _spread(x, stride)
    edge = [d * (k - 1) - p for d, k, p in zip(dilation, kernel, padding)]
    pads = []
    for a in reversed(range(3)):
        pads += [edge[a], edge[a] + extra[a]]
    from .padding import pad

    y = conv3d(pad(spread, pads), w, bias, 1, 0, dilation, groups)
    return y if input.ndim == 5 else y.squeeze(0)


class MaxPool3d(Function):
    """y = the maximum of each window; dL/dx adds g at each window's (first) argmax."""

    @staticmethod
    def forward(ctx, x, *, kernel, stride, padding, dilation, out, ceil_pad):
        pads = [(0, 0)] * (x.ndim - 3) + [(p, p + e) for p, e in zip(padding, ceil_pad)]
        fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
        xp = np.pad(x, pads, constant_values=fill)
        patches = windows3d(xp, kernel, stride, dilation, out)
        flat = patches.reshape(patches.shape[:-3] + (-1,))
        arg = np.argmax(flat, axis=-1)
        ctx.save(arg=arg, padded=xp.shape, pads=pads, kernel=kernel, stride=stride,
                 dilation=dilation, out=out)  # fmt: skip
        return np.take_along_axis(flat, arg[..., None], axis=-1)[..., 0]

    @staticmethod
    def backward(ctx, grad_y):
        kernel = ctx.kernel
        onehot = np.zeros(grad_y.shape + (int(np.prod(kernel)),), dtype=grad_y.dtype)
        np.put_along_axis(onehot, ctx.arg[..., None], grad_y[..., None], axis=-1)
        cols = np.moveaxis(onehot.reshape(grad_y.shape + tuple(kernel)), (-3, -2, -1), (0, 1, 2))
        volume = np.zeros(ctx.padded, dtype=grad_y.dtype)
        fold3d(cols, volume, kernel, ctx.stride, ctx.dilation, ctx.out)
        return volume[tuple(slice(b, volume.shape[a] - e) for a, (b, e) in enumerate(ctx.pads))]


def max_pool3d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,  # noqa: A002
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False):  # fmt: skip
    """torch.nn.functional.max_pool3d over (N, C, D, H, W) or (C, D, H, W)."""
    who = f"max_pool3d(kernel_size={kernel_size!r})"
    _volume(who, input)
    if return_indices:
        fail_value(who, "return_indices=False", "True")
    kernel = triple(kernel_size, who, "kernel_size")
    stride = kernel if stride is None else triple(stride, who, "stride")
    padding, dilation = triple(padding, who, "padding"), triple(dilation, who, "dilation")
    if any(2 * p > k for p, k in zip(padding, kernel)):
        fail_value(who, "padding at most half the kernel size", str(padding))
    out = _out(who, tuple(input.shape), kernel, stride, padding, dilation, ceil_mode)
    ceil_pad = tuple(
        max(0, (o - 1) * s + d * (k - 1) + 1 - (n + 2 * p))
        for o, s, d, k, n, p in zip(out, stride, dilation, kernel, input.shape[-3:], padding)
    )
    return MaxPool3d.apply(input, kernel=kernel, stride=stride, padding=padding,
                           dilation=dilation, out=out, ceil_pad=ceil_pad)  # fmt: skip


def avg_pool3d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,  # noqa: A002
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None):  # fmt: skip
    """torch.nn.functional.avg_pool3d: a conv3d with a kernel of ones per channel, divided by
    the window's count (padding counted unless count_include_pad=False)."""
    who = f"avg_pool3d(kernel_size={kernel_size!r})"
    x = _volume(who, input)
    if ceil_mode:
        fail_value(who, "ceil_mode=False", "True", "pad the input instead.")
    kernel = triple(kernel_size, who, "kernel_size")
    stride = kernel if stride is None else triple(stride, who, "stride")
    padding = triple(padding, who, "padding")
    if any(2 * p > k for p, k in zip(padding, kernel)):  # windows of padding alone: torch refuses
        fail_value(who, "padding at most half the kernel size", str(padding))
    n, c = x.shape[:2]
    ones = x.detach()[:1, :1, :1, :1, :1] * 0 + 1
    ones = ones.expand(1, 1, *kernel)
    flat = x.reshape(n * c, 1, *x.shape[2:])
    summed = conv3d(flat, ones, None, stride, padding)
    if divisor_override is not None:
        count = float(divisor_override)
    elif count_include_pad:
        count = float(np.prod(kernel))
    else:
        inside = np.pad(np.ones(x.shape[2:], x.dtype), [(p, p) for p in padding])
        count = windows3d(inside, kernel, stride, (1, 1, 1), tuple(summed.shape[2:]))
        count = x._wrap(count.sum(axis=(-3, -2, -1)))
    y = (summed / count).reshape(n, c, *summed.shape[2:])
    return y if input.ndim == 5 else y.squeeze(0)


def adaptive_avg_pool3d(input: Any, output_size: Any):  # noqa: A002
    """The mean of each window of an output_size grid: one averaging matrix per axis."""
    who = f"adaptive_avg_pool3d(output_size={output_size!r})"
    x = _volume(who, input)
    if isinstance(output_size, (tuple, list)) and len(output_size) == 3:
        output_size = tuple(s if o is None else o for s, o in zip(x.shape[2:], output_size))
    size = triple(output_size, who, "output_size")
    d, h, w = (x._wrap(_averaging(n, o, x.dtype)) for n, o in zip(x.shape[2:], size))
    y = einsum("ncdhw,ad,bh,ew->ncabe", x, d, h, w)
    return y if input.ndim == 5 else y.squeeze(0)
