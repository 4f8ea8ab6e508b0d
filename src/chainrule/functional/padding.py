"""F.pad: torch's pad tuple (last axis first), 'constant', 'reflect', 'replicate' and 'circular'."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._checks import fail_shape, fail_value, message, shape_str
from ..errors import UnsupportedError
from ..autograd.function import Function
from ..cpugraph.capture import record_call


class Pad(Function):
    """y = x read through one index array per padded axis; -1 marks a cell that holds ``value``.

    Every mode is an index map (reflect and replicate read inside x, a negative pad crops),
    so the gradient is one rule for all of them: add each cell of g back onto the element it
    was read from, and drop the constant cells.
    """

    @staticmethod
    def forward(ctx, x, *, maps, value):
        ctx.save(maps=maps, shape=x.shape)
        return _padded(x, maps, value)

    @staticmethod
    def backward(ctx, grad_y):
        grad = grad_y
        for axis, index in reversed(ctx.maps):
            moved = np.moveaxis(grad, axis, -1)
            summed = np.zeros(moved.shape[:-1] + (ctx.shape[axis],), dtype=grad_y.dtype)
            inside = index >= 0
            np.add.at(summed, (..., index[inside]), moved[..., inside])
            grad = np.moveaxis(summed, -1, axis)
        return grad


def _padded(x: np.ndarray, maps: tuple, value: Any) -> np.ndarray:
    y = x
    for axis, index in maps:
        if (
            y.shape[axis] == 0
        ):  # nothing to read from: every cell is padding (torch's (2, 0) -> (2, 1))
            y = np.full(y.shape[:axis] + index.shape + y.shape[axis + 1 :], value, y.dtype)
            continue
        y = np.take(y, np.maximum(index, 0), axis=axis)
        if (index < 0).any():
            where = [slice(None)] * y.ndim
            where[axis] = index < 0
            y[tuple(where)] = value
    return y


def pad(input: Any, pad: Sequence[int], mode: str = "constant", value: float | None = None):
    """torch.nn.functional.pad: ``pad`` = (left, right) for the last axis, then the one before, ...

    >>> import numpy as np, chainrule as cr
    >>> x = cr.tensor(np.array([[1.0, 2.0, 3.0]]))
    >>> cr.functional.pad(x, (2, 1), mode="reflect").numpy()
    array([[3., 2., 1., 2., 3., 2.]])
    """
    who = f"pad(pad={tuple(pad)!r}, mode={mode!r})"
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise UnsupportedError(  # torch's NotImplementedError; still the ArgumentError it was
            message(who, "mode 'constant', 'reflect', 'replicate' or 'circular'", repr(mode))
        )
    if len(pad) % 2 or len(pad) // 2 > input.ndim:
        fail_value(
            who, f"an even number of pads, at most 2 x {input.ndim} for this input", str(len(pad))
        )
    if mode != "constant" and value not in (None, 0, 0.0):
        fail_value(who, "value only with mode='constant'", repr(value))
    maps = []
    for k in range(len(pad) // 2):
        axis = input.ndim - 1 - k
        before, after = int(pad[2 * k]), int(pad[2 * k + 1])
        if before == 0 and after == 0:
            continue
        maps.append((axis, _index(who, mode, input.shape[axis], before, after, input.shape)))
    if not maps:
        return input * 1
    value = 0 if value is None else value
    if input.dtype.kind not in "fc":  # integers and bools keep their dtype, as in torch
        return input._wrap(record_call(_padded, input._data, tuple(maps), value))
    return Pad.apply(input, maps=tuple(maps), value=value)


def _index(who: str, mode: str, n: int, before: int, after: int, shape: tuple) -> np.ndarray:
    """Which element of the axis each output cell reads (-1: the constant)."""
    # a negative pad crops, in every mode; torch allows an empty result only where it pads
    # by copying (constant, circular), and never a crop past the far edge
    least = 1 if mode in ("reflect", "replicate") else 0
    if n + before + after < least or min(before, after) < -n:
        fail_shape(
            who,
            f"an output of at least {least} element(s) on every axis",
            f"pads {(before, after)} on an axis of {n} in input {shape_str(shape)}",
        )
    if mode == "reflect" and max(before, after) >= n:
        fail_value(
            who,
            f"reflect pads smaller than the axis ({n})",
            f"{(before, after)}",
            "use mode='replicate', or pad in several steps.",
        )
    if mode == "circular" and max(before, after) > n:
        fail_value(who, f"circular pads at most the axis size ({n})", f"{(before, after)}")
    if n == 0 and mode != "constant":
        fail_shape(who, "a non-empty axis to pad from", f"input {shape_str(shape)}")
    position = np.arange(-before, n + after)
    if mode == "constant":
        return np.where((position >= 0) & (position < n), position, -1)
    if mode == "replicate":
        return np.clip(position, 0, n - 1)
    if mode == "circular":
        return position % n
    period = 2 * (n - 1) if n > 1 else 1  # reflect about the edge, not repeating it
    folded = np.abs(position) % period
    return np.where(folded < n, folded, period - folded)
