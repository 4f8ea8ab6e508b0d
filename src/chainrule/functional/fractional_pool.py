"""fractional_max_pool2d: max pooling by a non-integer factor (Graham, 2014).

Each (sample, channel) draws one number u in [0, 1) per axis; window i starts at
floor((i + u) alpha) - floor(u alpha), alpha = (in - k) / (out - 1), and the last window ends at
the input's edge. Starts grow by floor(alpha) or ceil(alpha), so the stride is fractional on
average. The windows picked, the max is a gather: the gradient scatters back to it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, fail_shape, fail_value, shape_str
from ..autograd.function import Function
from ..autograd.tensor import Tensor
from ..cpugraph.capture import record_call
from ..random import as_generator


def _starts(u: np.ndarray, size: int, out: int, kernel: int) -> np.ndarray:
    """Window starts (..., out) from samples u (...), in u's dtype as torch computes them."""
    starts = np.empty((*u.shape, out), dtype=np.int64)
    if out > 1:
        alpha = u.dtype.type(size - kernel) / u.dtype.type(out - 1)
        steps = np.arange(out - 1, dtype=u.dtype)
        first = (u * alpha).astype(np.int64)
        starts[..., :-1] = ((steps + u[..., None]) * alpha).astype(np.int64) - first[..., None]
    starts[..., -1] = size - kernel
    return starts


def _argmax_indices(x: np.ndarray, kernel: tuple, out: tuple, samples: np.ndarray) -> np.ndarray:
    """Flat (h W + w) index of each window's max; the first max wins, and NaN beats any number."""
    _, _, height, width = x.shape
    rows = _starts(samples[..., 1], height, out[0], kernel[0])[..., None] + np.arange(kernel[0])
    cols = _starts(samples[..., 0], width, out[1], kernel[1])[..., None] + np.arange(kernel[1])
    flat = rows[:, :, :, None, :, None] * width + cols[:, :, None, :, None, :]
    flat = flat.reshape(*flat.shape[:4], -1)  # (N, C, oh, ow, kh kw), row-major as torch scans
    plane = x.reshape(*x.shape[:2], -1)
    values = np.take_along_axis(plane, flat.reshape(*flat.shape[:2], -1), axis=2)
    best = np.argmax(values.reshape(flat.shape), axis=-1)
    return np.take_along_axis(flat, best[..., None], axis=-1)[..., 0]


class FractionalMaxPool(Function):
    """y[n, c, i, j] = x[n, c, at[n, c, i, j]], at the window's max; dL/dx adds grad_y back at
    those places. The windows are found in forward, so a CPUGraph replay finds them anew."""

    op = "fractional_max_pool2d"
    find = staticmethod(_argmax_indices)  # the windows' maxima; the 3-d pool gives its own

    @staticmethod
    def forward(ctx, x, samples, *, kernel, out):
        at = ctx.find(x, kernel, out, samples)
        plane = x.reshape(*x.shape[:2], -1)
        ctx.save(at=at, shape=x.shape)
        return np.take_along_axis(plane, at.reshape(*at.shape[:2], -1), axis=2).reshape(at.shape)

    @staticmethod
    def backward(ctx, grad_y):
        n, c = ctx.shape[:2]
        size = int(np.prod(ctx.shape[2:]))
        where = (np.arange(n * c).reshape(n, c, 1) * size + ctx.at.reshape(n, c, -1)).ravel()
        grad_x = np.bincount(where, grad_y.ravel(), minlength=n * c * size)
        return grad_x.astype(grad_y.dtype).reshape(ctx.shape), None


def _draw(rng: np.random.Generator, shape: tuple, dtype: np.dtype) -> np.ndarray:
    return rng.random(shape).astype(dtype)


def _pair(value: Any) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def fractional_max_pool2d(
    input: Any,  # noqa: A002
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Any = None,
):
    """Max over (kh, kw) windows at pseudo-random fractional strides: (N, C, H, W) ->
    (N, C, oh, ow), with output_size given or int(H ratio), int(W ratio). ``_random_samples``
    (N, C, 2) in [0, 1), (u_w, u_h) per plane, fixes the windows; otherwise they come from the
    default generator.

    >>> import chainrule as cr
    >>> x = cr.arange(16.0).reshape(1, 1, 4, 4)
    >>> u = cr.full((1, 1, 2), 0.5)
    >>> cr.functional.fractional_max_pool2d(x, 2, output_size=2, _random_samples=u).numpy()
    array([[[[ 5.,  7.],
             [13., 15.]]]], dtype=float32)
    """
    who = "fractional_max_pool2d"
    check_tensor(who, input)
    if input.ndim not in (3, 4):
        fail_shape(who, "inputs (N, C, H, W) or (C, H, W)", shape_str(input.shape))
    x = input if input.ndim == 4 else input.unsqueeze(0)
    kernel = _pair(kernel_size)
    if output_size is None:
        if output_ratio is None:
            fail_value(who, "output_size or output_ratio", "neither")
        ratio = _pair(output_ratio)
        out = (int(x.shape[-2] * ratio[0]), int(x.shape[-1] * ratio[1]))
    else:
        out = _pair(output_size)
    if any(o + k - 1 > s for o, k, s in zip(out, kernel, x.shape[2:])) or min(out) < 1:
        fail_value(
            who,
            f"output size + kernel size - 1 within the input's {tuple(x.shape[2:])}",
            f"output {out} with kernel {kernel}",
        )
    return pooled(who, FractionalMaxPool, input, x, kernel, out, return_indices, _random_samples)


def pooled(
    who: str, op: Any, input: Any, x: Any, kernel: tuple, out: tuple, return_indices: bool,
    given: Any,
) -> Any:  # fmt: skip
    """The pool ``op`` of the batched ``x`` over windows placed by ``given`` samples (drawn
    when None), with the indices of the maxima if asked, unbatched again as ``input`` was."""
    n, c, dims = *x.shape[:2], len(kernel)
    if given is None:  # recorded: a CPUGraph replay draws new windows, as eager does
        samples = Tensor._wrap(record_call(_draw, as_generator(None), (n, c, dims), x.dtype))
    else:
        samples = given
        if not isinstance(samples, Tensor) or samples.dtype != x.dtype:
            samples = Tensor._wrap(np.asarray(getattr(samples, "_data", samples), x.dtype))
        if tuple(samples.shape) != (n, c, dims):
            fail_shape(
                who, f"_random_samples of shape ({n}, {c}, {dims})", shape_str(samples.shape)
            )
    y = op.apply(x, samples, kernel=kernel, out=out)
    indices = None
    if return_indices:
        indices = Tensor._wrap(record_call(op.find, x._data, kernel, out, samples._data))
    if input.ndim == x.ndim - 1:
        y = y.squeeze(0)
        indices = indices.squeeze(0) if indices is not None else None
    return (y, indices) if return_indices else y
