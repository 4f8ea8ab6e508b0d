"""max_pool1d, avg_pool1d, adaptive_avg_pool1d: the 2-D pools on sequences of height 1.

A (N, C, L) sequence is a (N, C, 1, L) image and a 1-D window is a (1, k) window, so the 2-D
Functions do the work and these wrappers only reshape and translate the arguments.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import fail_shape, fail_value, message, shape_str
from .pooling import adaptive_avg_pool2d, avg_pool2d, max_pool2d


def _single(value: Any, who: str, name: str) -> int:
    """torch takes an int or a 1-tuple for each 1-D size."""
    if isinstance(value, (tuple, list)):
        if len(value) != 1:
            fail_value(who, f"{name} an int or a 1-tuple", repr(value))
        value = value[0]
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        # torch's argument parser refuses None and floats here with a TypeError
        raise TypeError(message(who, f"{name} an int or a 1-tuple of ints", repr(value)))
    return value


def _as_image(who: str, x: Any) -> Any:
    if x.ndim not in (2, 3):
        fail_shape(who, "inputs of shape (N, C, L) or (C, L)", shape_str(x.shape))
    return x.unsqueeze(-2)


def max_pool1d(
    input: Any,  # noqa: A002
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
):
    """torch.nn.functional.max_pool1d over (N, C, L); ``stride`` defaults to the kernel size.

    >>> import numpy as np, chainrule as cr
    >>> cr.functional.max_pool1d(cr.tensor(np.arange(6.0).reshape(1, 1, 6)), 2).numpy()
    array([[[1., 3., 5.]]])
    """
    who = f"max_pool1d(kernel_size={kernel_size!r}, stride={stride!r}, padding={padding!r})"
    kernel = _single(kernel_size, who, "kernel_size")
    stride = kernel if stride is None or stride == () else _single(stride, who, "stride")
    pad, dil = _single(padding, who, "padding"), _single(dilation, who, "dilation")
    image = _as_image(who, input)
    y = max_pool2d(image, (1, kernel), (1, stride), (0, pad), (1, dil), ceil_mode, return_indices)
    if return_indices:  # a row's flat index in a height-1 plane is its position in the sequence
        return y[0].squeeze(-2), y[1].squeeze(-2)
    return y.squeeze(-2)


def avg_pool1d(
    input: Any,  # noqa: A002
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
):
    """torch.nn.functional.avg_pool1d over (N, C, L); ``stride`` defaults to the kernel size."""
    who = f"avg_pool1d(kernel_size={kernel_size!r}, stride={stride!r}, padding={padding!r})"
    kernel = _single(kernel_size, who, "kernel_size")
    stride = kernel if stride is None or stride == () else _single(stride, who, "stride")
    pad = _single(padding, who, "padding")
    image = _as_image(who, input)
    y = avg_pool2d(image, (1, kernel), (1, stride), (0, pad), ceil_mode, count_include_pad)
    return y.squeeze(-2)


def adaptive_avg_pool1d(input: Any, output_size: Any):  # noqa: A002
    """torch.nn.functional.adaptive_avg_pool1d: average (N, C, L) into (N, C, output_size)."""
    who = f"adaptive_avg_pool1d(output_size={output_size!r})"
    size = _single(output_size, who, "output_size")
    return adaptive_avg_pool2d(_as_image(who, input), (1, size)).squeeze(-2)
