"""adaptive_max_pool1d/2d (with return_indices), max_unpool1d/2d and lp_pool1d/2d.

A max pool's result is x read at the argmax of each window, so it is one Function that reads
x at given flat indices (``Gather``), and max_unpool is its adjoint, which writes there
(``Scatter``): each one's backward is the other's forward. The indices are computed apart,
by ``record_call``, so a CPUGraph replay finds each batch's maxima.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, fail_shape, fail_value, shape_str
from ..autograd.function import Function
from ..cpugraph.capture import record_call
from .activation import relu
from .pooling import avg_pool2d, max_pool2d
from .pooling1d import avg_pool1d, max_pool1d
from .unfold import pair


class Gather(Function):
    """y[..., k] = x[..., flat index[..., k]] over the last two axes flattened;
    dL/dx adds g back at those places (windows of an adaptive pool may overlap)."""

    @staticmethod
    def forward(ctx, x, *, index):
        lead = x.shape[:-2]
        flat = x.reshape(lead + (-1,))
        ctx.save(index=index, shape=x.shape)
        picked = np.take_along_axis(flat, index.reshape(lead + (-1,)), axis=-1)
        return picked.reshape(index.shape)

    @staticmethod
    def backward(ctx, grad_y):
        return scatter_into(grad_y, ctx.index, ctx.shape, add=True)


class Scatter(Function):
    """max_unpool: y = zeros of ``shape`` with y[..., flat index] = x; dL/dx reads g there."""

    @staticmethod
    def forward(ctx, x, *, index, shape):
        ctx.save(index=index)
        return scatter_into(x, index, shape, add=False)

    @staticmethod
    def backward(ctx, grad_y):
        lead = grad_y.shape[:-2]
        flat = grad_y.reshape(lead + (-1,))
        index = ctx.index
        return np.take_along_axis(flat, index.reshape(lead + (-1,)), axis=-1).reshape(index.shape)


def scatter_into(values: np.ndarray, index: np.ndarray, shape: tuple, add: bool) -> np.ndarray:
    lead = shape[:-2]
    rows = int(np.prod(lead, dtype=np.int64))
    out = np.zeros((rows, shape[-2] * shape[-1]), dtype=values.dtype)
    where = (np.arange(rows)[:, None], index.reshape(rows, -1))
    if add:
        np.add.at(out, where, values.reshape(rows, -1))
    else:
        out[where] = values.reshape(rows, -1)
    return out.reshape(shape)


def _bounds(size: int, out: int) -> list[tuple[int, int]]:
    """torch's adaptive windows: [floor(i size / out), ceil((i + 1) size / out))."""
    return [((i * size) // out, -((-(i + 1) * size) // out)) for i in range(out)]


def _argmax(x: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Flat (row * W + col) index of each adaptive window's first maximum (NaN wins, as torch)."""
    h, w = x.shape[-2:]
    index = np.empty(x.shape[:-2] + size, dtype=np.int64)
    for i, (r0, r1) in enumerate(_bounds(h, size[0])):
        for j, (c0, c1) in enumerate(_bounds(w, size[1])):
            window = x[..., r0:r1, c0:c1].reshape(x.shape[:-2] + (-1,))
            local = np.argmax(window, axis=-1)
            index[..., i, j] = (r0 + local // (c1 - c0)) * w + c0 + local % (c1 - c0)
    return index


def adaptive_max_pool2d(input: Any, output_size: Any, return_indices: bool = False):  # noqa: A002
    """The maximum of each of an output_size grid of windows over (N, C, H, W) or (C, H, W)."""
    who = f"adaptive_max_pool2d(output_size={output_size!r})"
    check_tensor(who, input)
    if input.ndim not in (3, 4) or 0 in tuple(input.shape[-2:]):
        fail_shape(
            who, "non-empty inputs of shape (N, C, H, W) or (C, H, W)", shape_str(input.shape)
        )
    h, w = input.shape[-2:]
    if isinstance(output_size, (tuple, list)) and len(output_size) == 2:
        output_size = tuple(s if o is None else o for s, o in zip((h, w), output_size))
    size = pair(output_size, who, "output_size")
    if min(size) < 1:
        fail_value(who, "output sizes >= 1", str(size))
    index = record_call(_argmax, input._data, size)
    y = Gather.apply(input, index=index)
    return (y, input._wrap(index)) if return_indices else y


def adaptive_max_pool1d(input: Any, output_size: Any, return_indices: bool = False):  # noqa: A002
    """adaptive_max_pool2d over (N, C, L) or (C, L), as a one-row image."""
    who = f"adaptive_max_pool1d(output_size={output_size!r})"
    check_tensor(who, input)
    if input.ndim not in (2, 3):
        fail_shape(who, "inputs of shape (N, C, L) or (C, L)", shape_str(input.shape))
    if isinstance(output_size, (tuple, list)):
        output_size = output_size[0] if len(output_size) == 1 else output_size
    if not isinstance(output_size, (int, np.integer)):
        fail_value(who, "output_size an int or a 1-tuple", repr(output_size))
    result = adaptive_max_pool2d(input.unsqueeze(-2), (1, int(output_size)), return_indices)
    if return_indices:
        return result[0].squeeze(-2), result[1].squeeze(-2)
    return result.squeeze(-2)


def max_pool2d_with_indices(
    input: Any,  # noqa: A002
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
):
    """max_pool2d's values and torch's indices (flat row * W + col into each unpadded image), for
    max_unpool2d: the values are read at those indices by Gather, so the gradient is max pooling's.
    F.max_pool2d(return_indices=True) can route here."""
    from .pooling import _pool_sizes

    who = f"max_pool2d(kernel_size={kernel_size!r}, return_indices=True)"
    check_tensor(who, input)
    kernel, stride, _, dilation, pads, out = _pool_sizes(
        who, input, kernel_size, stride, padding, dilation, ceil_mode
    )
    index = record_call(_window_argmax, input._data, kernel, stride, dilation, pads, out)
    return Gather.apply(input, index=index), input._wrap(index)


def _window_argmax(x: np.ndarray, kernel, stride, dilation, pads, out) -> np.ndarray:
    """Flat index of each window's first maximum (NaN wins), padding never chosen."""
    from .unfold import pad_image, windows

    h, w = x.shape[-2:]
    xp = pad_image(x, pads, -np.inf)
    patches = windows(xp, kernel, stride, dilation, out)  # (..., OH, OW, kh, kw)
    local = np.argmax(patches.reshape(patches.shape[:-2] + (-1,)), axis=-1)
    p, q = np.divmod(local, kernel[1])
    rows = np.arange(out[0])[:, None] * stride[0] + p * dilation[0] - pads[0][0]
    cols = np.arange(out[1])[None, :] * stride[1] + q * dilation[1] - pads[1][0]
    return (rows * w + cols).astype(np.int64)


def max_pool1d_with_indices(
    input: Any,  # noqa: A002
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
):
    """max_pool2d_with_indices on (N, C, L) or (C, L) as a one-row image."""
    one = lambda v: v[0] if isinstance(v, (tuple, list)) else v  # noqa: E731
    kernel = one(kernel_size)
    step = kernel if stride is None or stride == () else one(stride)
    who = f"max_pool1d(kernel_size={kernel_size!r}, return_indices=True)"
    check_tensor(who, input)
    if input.ndim not in (2, 3):
        fail_shape(who, "inputs of shape (N, C, L) or (C, L)", shape_str(input.shape))
    values, index = max_pool2d_with_indices(
        input.unsqueeze(-2), (1, kernel), (1, step), (0, one(padding)), (1, one(dilation)),
        ceil_mode,
    )  # fmt: skip
    return values.squeeze(-2), index.squeeze(-2)


def max_unpool2d(
    input: Any,  # noqa: A002
    indices: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    output_size: Any = None,
):
    """Put each value back at its max pool's index in a zero image: a partial inverse of
    max_pool2d(return_indices=True). Output (H - 1) stride - 2 padding + kernel per axis
    unless ``output_size`` says otherwise."""
    who = f"max_unpool2d(kernel_size={kernel_size!r})"
    kernel = pair(kernel_size, who, "kernel_size")
    stride = kernel if stride is None else pair(stride, who, "stride")
    padding = pair(padding, who, "padding")
    return _unpool(who, input, indices, kernel, stride, padding, output_size, 2)


def max_unpool1d(
    input: Any,  # noqa: A002
    indices: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    output_size: Any = None,
):
    """max_unpool2d over (N, C, L) or (C, L)."""
    who = f"max_unpool1d(kernel_size={kernel_size!r})"
    one = lambda v: v[0] if isinstance(v, (tuple, list)) else v  # noqa: E731
    kernel = (1, one(kernel_size))
    stride = kernel if stride is None else (1, one(stride))
    size = None if output_size is None else (1, tuple(output_size)[-1])
    check_tensor(who, input)
    if input.ndim not in (2, 3):
        fail_shape(who, "inputs of shape (N, C, L) or (C, L)", shape_str(input.shape))
    y = _unpool(
        who, input.unsqueeze(-2), indices.unsqueeze(-2), kernel, stride, (0, one(padding)), size, 2
    )
    return y.squeeze(-2)


# what each unpool's input looks like, by its number of pooled dims
_LAYOUTS = {2: "(N, C, H, W) or (C, H, W)", 3: "(N, C, D, H, W) or (C, D, H, W)"}


def _unpool(who, input, indices, kernel, stride, padding, output_size, dims):  # noqa: A002
    """max_unpool2d and 3d: a volume goes to Scatter as a (D * H, W) image, so its flat index is
    torch's d * H * W + h * W + w."""
    check_tensor(who, input)
    check_tensor(who, indices, "indices")
    if input.ndim not in (dims + 1, dims + 2) or tuple(indices.shape) != tuple(input.shape):
        fail_shape(
            who,
            f"input {_LAYOUTS[dims]} and indices of the same shape",
            f"{shape_str(input.shape)} and {shape_str(indices.shape)}",
        )
    default = tuple(
        (input.shape[a - dims] - 1) * stride[a] - 2 * padding[a] + kernel[a] for a in range(dims)
    )
    size = default if output_size is None else tuple(int(s) for s in tuple(output_size)[-dims:])
    for a in range(dims):  # torch's range: within one stride of the default size
        if not default[a] - stride[a] < size[a] < default[a] + stride[a]:
            fail_value(
                who,
                f"output_size between {default[a] - stride[a] + 1} and "
                f"{default[a] + stride[a] - 1} on axis {a}",
                str(size[a]),
            )
    index = indices._data
    count = int(np.prod(size))
    if index.dtype.kind not in "iu":
        fail_value(who, "integer indices (from max_pool with return_indices)", f"{index.dtype}")
    if index.size and (index.min() < 0 or index.max() >= count):
        fail_value(who, f"indices in [0, {count - 1}]", f"{int(index.max())}")
    lead = tuple(input.shape[:-dims])
    image = (count // size[-1], size[-1])
    flat = Scatter.apply(input, index=index, shape=lead + image)
    return flat if dims == 2 else flat.reshape(lead + size)


def lp_pool2d(
    input: Any,  # noqa: A002
    norm_type: float,
    kernel_size: Any,
    stride: Any = None,
    ceil_mode: bool = False,
):
    """(sum over each window of x^p)^(1/p), torch's recipe: an average pool of x^p times the
    window size (p = inf would be max pooling; p = 1, sum pooling)."""
    kh, kw = pair(kernel_size, "lp_pool2d", "kernel_size")
    if norm_type in (np.inf, -np.inf):  # x^inf overflows: the limit is the largest |x|, as torch
        return _lp_limit(max_pool2d, input, norm_type, kernel_size, stride, ceil_mode)
    out = avg_pool2d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return (out.sign() * relu(out.abs())).mul(kh * kw).pow(1.0 / norm_type)


def lp_pool1d(
    input: Any,  # noqa: A002
    norm_type: float,
    kernel_size: int,
    stride: Any = None,
    ceil_mode: bool = False,
):
    """lp_pool2d over (N, C, L) or (C, L)."""
    k = kernel_size[0] if isinstance(kernel_size, (tuple, list)) else kernel_size
    if norm_type in (np.inf, -np.inf):
        return _lp_limit(max_pool1d, input, norm_type, kernel_size, stride, ceil_mode)
    out = avg_pool1d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return (out.sign() * relu(out.abs())).mul(k).pow(1.0 / norm_type)


def _lp_limit(max_pool: Any, x: Any, norm_type: float, kernel: Any, stride: Any, ceil: bool):
    """The p -> +inf limit is max |x| over the window, -inf the smallest |x|."""
    if norm_type > 0:
        return max_pool(x.abs(), kernel, stride, 0, 1, ceil)
    return -max_pool(-x.abs(), kernel, stride, 0, 1, ceil)
