"""adaptive_max_pool, max_unpool and lp_pool (1-D and 2-D), composed from existing ops: an
adaptive max is a gather at each window's argmax (so its gradient reaches the one maximum, as
torch's), an unpool is a scatter into zeros, an Lp pool an average pool of x^p."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, fail_shape, fail_value, shape_str
from ..autograd.factories import zeros
from ..cpugraph.capture import record_call
from .pooling import _image, avg_pool2d, pair
from .pooling1d import _as_image, _single


def _window_argmax(x: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """For each output cell, the flat (H, W) index of its window's first maximum (NaN wins)."""
    h, w = x.shape[-2:]
    index = np.empty(x.shape[:-2] + size, dtype=np.int64)
    for i in range(size[0]):
        top, bottom = (i * h) // size[0], -((-(i + 1) * h) // size[0])
        for j in range(size[1]):
            left, right = (j * w) // size[1], -((-(j + 1) * w) // size[1])
            window = x[..., top:bottom, left:right].reshape(x.shape[:-2] + (-1,))
            best = np.argmax(np.where(np.isnan(window), np.inf, window), axis=-1)
            index[..., i, j] = (top + best // (right - left)) * w + left + best % (right - left)
    return index


def adaptive_max_pool2d(input: Any, output_size: Any, return_indices: bool = False):  # noqa: A002
    """The maximum over torch's adaptive windows (start floor(i H / out), end ceil((i+1) H / out))."""
    check_tensor("adaptive_max_pool2d", input)
    who = f"adaptive_max_pool2d(output_size={output_size!r})"
    _image(who, input)
    h, w = input.shape[-2:]
    if isinstance(output_size, (tuple, list)) and len(output_size) == 2:
        output_size = tuple(s if o is None else o for o, s in zip(output_size, (h, w)))
    size = pair(output_size, who, "output_size")
    if min(size) < 1 or min(h, w) < 1:
        fail_value(
            who, "output sizes >= 1 and a non-empty image", f"{size} on {shape_str(input.shape)}"
        )
    index = record_call(_window_argmax, input._data, size)
    flat = input.reshape(*input.shape[:-2], h * w)
    y = flat.gather(-1, input._wrap(index.reshape(index.shape[:-2] + (-1,)))).reshape(index.shape)
    return (y, input._wrap(index)) if return_indices else y


def adaptive_max_pool1d(input: Any, output_size: Any, return_indices: bool = False):  # noqa: A002
    who = f"adaptive_max_pool1d(output_size={output_size!r})"
    size = _single(output_size, who, "output_size")
    y = adaptive_max_pool2d(_as_image(who, input), (1, size), return_indices)
    return (y[0].squeeze(-2), y[1].squeeze(-2)) if return_indices else y.squeeze(-2)


def max_unpool2d(input: Any, indices: Any, kernel_size: Any, stride: Any = None,  # noqa: A002
                 padding: Any = 0, output_size: Any = None):  # fmt: skip
    """The inverse of max_pool2d: each value goes back to the position its index names, zeros
    elsewhere. The output is (H - 1) stride - 2 padding + kernel unless ``output_size`` says."""
    who = f"max_unpool2d(kernel_size={kernel_size!r})"
    check_tensor(who, input)
    kernel = pair(kernel_size, who, "kernel_size")
    stride = kernel if stride is None else pair(stride, who, "stride")
    padding = pair(padding, who, "padding")
    if tuple(indices.shape) != tuple(input.shape) or input.ndim not in (3, 4):
        fail_shape(who, "indices of the input's shape (N, C, H, W) or (C, H, W)",
                   f"{shape_str(tuple(indices.shape))} for {shape_str(tuple(input.shape))}")  # fmt: skip
    default = [(input.shape[-2 + a] - 1) * stride[a] - 2 * padding[a] + kernel[a] for a in range(2)]
    size = tuple(default if output_size is None else (int(s) for s in tuple(output_size)[-2:]))
    if any(not default[a] - stride[a] < size[a] < default[a] + stride[a] for a in range(2)):
        # torch's rule: within one stride of the default size, either way
        fail_value(who, f"an output_size within a stride of {tuple(default)}", f"{size}")
    lead = tuple(input.shape[:-2])
    index = indices.reshape(*lead, -1)
    if int(index.numel()) and (int(index.max()) >= size[0] * size[1] or int(index.min()) < 0):
        fail_value(who, f"indices below {size[0] * size[1]} (the output's H x W)",
                   f"{int(index.max())}")  # fmt: skip
    out = zeros(*lead, size[0] * size[1], dtype=input.dtype)
    return out.scatter(-1, index, input.reshape(*lead, -1)).reshape(*lead, *size)


def max_unpool1d(input: Any, indices: Any, kernel_size: Any, stride: Any = None,  # noqa: A002
                 padding: Any = 0, output_size: Any = None):  # fmt: skip
    who = f"max_unpool1d(kernel_size={kernel_size!r})"
    kernel = _single(kernel_size, who, "kernel_size")
    stride = kernel if stride is None else _single(stride, who, "stride")
    size = None if output_size is None else (1, int(tuple(output_size)[-1]))
    y = max_unpool2d(_as_image(who, input), indices.unsqueeze(-2), (1, kernel), (1, stride),
                     (0, _single(padding, who, "padding")), size)  # fmt: skip
    return y.squeeze(-2)


def lp_pool2d(input: Any, norm_type: float, kernel_size: Any, stride: Any = None,  # noqa: A002
              ceil_mode: bool = False):  # fmt: skip
    """(sum of x^p over each window)^(1/p), torch's formula: an average pool times the window."""
    who = f"lp_pool2d(norm_type={norm_type!r})"
    check_tensor(who, input)
    kh, kw = pair(kernel_size, who, "kernel_size")
    mean = avg_pool2d(input**norm_type, (kh, kw), stride, 0, ceil_mode)
    return (mean.sign() * mean.abs().relu() * (kh * kw)) ** (1.0 / norm_type)


def lp_pool1d(input: Any, norm_type: float, kernel_size: Any, stride: Any = None,  # noqa: A002
              ceil_mode: bool = False):  # fmt: skip
    who = f"lp_pool1d(norm_type={norm_type!r})"
    kernel = _single(kernel_size, who, "kernel_size")
    stride = None if stride is None else (1, _single(stride, who, "stride"))
    return lp_pool2d(_as_image(who, input), norm_type, (1, kernel), stride, ceil_mode).squeeze(-2)
