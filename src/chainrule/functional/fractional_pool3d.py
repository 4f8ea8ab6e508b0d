"""fractional_max_pool3d: fractional_max_pool2d's windows (fractional_pool.py) on a third axis.
Each (sample, channel) draws (u_t, u_h, u_w), in that order as torch reads them; the max of
each (kt, kh, kw) window is a gather, so the gradient scatters back to it."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, fail_value, message, shape_str
from ..errors import DimError
from .fractional_pool import FractionalMaxPool, _starts, pooled


def _argmax_indices(x: np.ndarray, kernel: tuple, out: tuple, samples: np.ndarray) -> np.ndarray:
    """Flat (t H W + h W + w) index of each window's max; the first max wins, as torch scans."""
    depth, height, width = x.shape[2:]
    axes = [
        _starts(samples[..., i], size, n, k)[..., None] + np.arange(k)
        for i, (size, n, k) in enumerate(zip((depth, height, width), out, kernel))
    ]  # (N, C, o, k) per axis
    t, h, w = axes
    flat = (
        t[:, :, :, None, None, :, None, None] * (height * width)
        + h[:, :, None, :, None, None, :, None] * width
        + w[:, :, None, None, :, None, None, :]
    )
    flat = flat.reshape(*flat.shape[:5], -1)  # (N, C, ot, oh, ow, kt kh kw)
    volume = x.reshape(*x.shape[:2], -1)
    values = np.take_along_axis(volume, flat.reshape(*flat.shape[:2], -1), axis=2)
    best = np.argmax(values.reshape(flat.shape), axis=-1)
    return np.take_along_axis(flat, best[..., None], axis=-1)[..., 0]


class FractionalMaxPool3d(FractionalMaxPool):
    """The 2-d pool's gather and scatter, on a volume."""

    op = "fractional_max_pool3d"
    find = staticmethod(_argmax_indices)


def _triple(value: Any) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value, value)


def fractional_max_pool3d(
    input: Any,  # noqa: A002
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Any = None,
):
    """Max over (kt, kh, kw) windows at pseudo-random fractional strides: (N, C, T, H, W) ->
    (N, C, ot, oh, ow). ``_random_samples`` (N, C, 3) in [0, 1) fixes the windows.

    >>> import chainrule as cr
    >>> x = cr.arange(64.0).reshape(1, 1, 4, 4, 4)
    >>> u = cr.full((1, 1, 3), 0.5)
    >>> cr.functional.fractional_max_pool3d(x, 2, output_size=2, _random_samples=u).shape
    chainrule.Size([1, 1, 2, 2, 2])
    """
    who = "fractional_max_pool3d"
    check_tensor(who, input)
    if input.ndim not in (4, 5):
        # torch's is an IndexError (it reads input.size(-4) first) or a RuntimeError: both
        got = shape_str(input.shape)
        raise DimError(message(who, "inputs (N, C, T, H, W) or (C, T, H, W)", got))
    x = input if input.ndim == 5 else input.unsqueeze(0)
    kernel = _triple(kernel_size)
    if output_size is None:
        if output_ratio is None:
            fail_value(who, "output_size or output_ratio", "neither")
        out = tuple(int(s * r) for s, r in zip(x.shape[2:], _triple(output_ratio)))
    else:
        out = _triple(output_size)
    # strictly below the input, as torch's 3-d check (its 2-d one allows equality)
    if any(o + k - 1 >= s for o, k, s in zip(out, kernel, x.shape[2:])) or min(out) < 1:
        fail_value(
            who,
            f"output size + kernel size - 1 below the input's {tuple(x.shape[2:])}",
            f"output {out} with kernel {kernel}",
        )
    return pooled(who, FractionalMaxPool3d, input, x, kernel, out, return_indices, _random_samples)
