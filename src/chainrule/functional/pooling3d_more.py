"""The 3-D members of the pooling families pooling_more.py holds in 1-D and 2-D:
adaptive_max_pool3d (with indices), max_unpool3d and lp_pool3d, and the ``*_with_indices``
spellings torch's nn.functional also exports.

A volume (D, H, W) is handed to pooling_more's Gather and Scatter as a (D * H, W) image, so the
flat index of an element is torch's d * H * W + h * W + w and no new derivative is written.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, fail_shape, fail_value, shape_str
from ..cpugraph.capture import record_call
from .activation import relu
from .pooling_more import Gather, _bounds, _lp_limit, _unpool, adaptive_max_pool1d
from .pooling_more import adaptive_max_pool2d
from .volume import avg_pool3d, max_pool3d, triple


def _argmax3d(x: np.ndarray, size: tuple[int, int, int]) -> np.ndarray:
    """Flat (d * H * W + h * W + w) index of each adaptive window's first maximum."""
    depth, height, width = x.shape[-3:]
    index = np.empty(x.shape[:-3] + size, dtype=np.int64)
    for i, (d0, d1) in enumerate(_bounds(depth, size[0])):
        for j, (h0, h1) in enumerate(_bounds(height, size[1])):
            for k, (w0, w1) in enumerate(_bounds(width, size[2])):
                window = x[..., d0:d1, h0:h1, w0:w1].reshape(x.shape[:-3] + (-1,))
                d, rest = np.divmod(np.argmax(window, axis=-1), (h1 - h0) * (w1 - w0))
                h, w = np.divmod(rest, w1 - w0)
                index[..., i, j, k] = ((d0 + d) * height + h0 + h) * width + w0 + w
    return index


def adaptive_max_pool3d(input: Any, output_size: Any, return_indices: bool = False):  # noqa: A002
    """The maximum of each window of an output_size grid over (N, C, D, H, W) or (C, D, H, W);
    ``return_indices`` also gives each one's flat index in its (D, H, W) volume."""
    who = f"adaptive_max_pool3d(output_size={output_size!r})"
    check_tensor(who, input)
    if input.ndim not in (4, 5) or 0 in tuple(input.shape[-3:]):
        fail_shape(
            who, "non-empty inputs of shape (N, C, D, H, W) or (C, D, H, W)", shape_str(input.shape)
        )
    dims = tuple(input.shape[-3:])
    if isinstance(output_size, (tuple, list)) and len(output_size) == 3:
        output_size = tuple(s if o is None else o for s, o in zip(dims, output_size))
    size = triple(output_size, who, "output_size")
    if min(size) < 1:
        fail_value(who, "output sizes >= 1", str(size))
    index = record_call(_argmax3d, input._data, size)
    image = input.reshape(tuple(input.shape[:-3]) + (dims[0] * dims[1], dims[2]))
    y = Gather.apply(image, index=index)
    return (y, input._wrap(index)) if return_indices else y


def max_unpool3d(
    input: Any,  # noqa: A002
    indices: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    output_size: Any = None,
):
    """Each value back at its max pool's flat index in a zero volume; output (D - 1) stride -
    2 padding + kernel per axis unless ``output_size`` says otherwise (within one stride)."""
    who = f"max_unpool3d(kernel_size={kernel_size!r})"
    kernel = triple(kernel_size, who, "kernel_size")
    stride = kernel if stride is None else triple(stride, who, "stride")
    padding = triple(padding, who, "padding")
    return _unpool(who, input, indices, kernel, stride, padding, output_size, 3)


def lp_pool3d(
    input: Any,  # noqa: A002
    norm_type: float,
    kernel_size: Any,
    stride: Any = None,
    ceil_mode: bool = False,
):
    """(sum over each window of x^p)^(1/p), torch's recipe as in lp_pool2d: an average pool of
    x^p times the window's size."""
    kd, kh, kw = triple(kernel_size, "lp_pool3d", "kernel_size")
    if norm_type in (np.inf, -np.inf):  # the limits: the largest (smallest) |x| of each window
        return _lp_limit(max_pool3d, input, norm_type, kernel_size, stride, ceil_mode)
    out = avg_pool3d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return (out.sign() * relu(out.abs())).mul(kd * kh * kw).pow(1.0 / norm_type)


def adaptive_max_pool1d_with_indices(input: Any, output_size: Any, return_indices: bool = True):  # noqa: A002
    return adaptive_max_pool1d(input, output_size, return_indices)


def adaptive_max_pool2d_with_indices(input: Any, output_size: Any, return_indices: bool = True):  # noqa: A002
    return adaptive_max_pool2d(input, output_size, return_indices)


def adaptive_max_pool3d_with_indices(input: Any, output_size: Any, return_indices: bool = True):  # noqa: A002
    return adaptive_max_pool3d(input, output_size, return_indices)
