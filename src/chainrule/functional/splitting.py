"""Breaking one dim into pieces: chunk, split (views, as slices) and unflatten (a reshape).

Tensor methods, bound by tensor_extras.py; the gradient is getitem's or reshape's."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._checks import check_dim
from ..errors import ArgumentError, DimError, ShapeError
from ..view_positions import mark_pieces
from .shape import getitem
from .sorting import _tensor


def _axis_of(who: str, x: Any, dim: int) -> int:
    if x.ndim == 0:  # torch: "chunk expects at least a 1-dimensional tensor"
        raise ShapeError(f"{who}: expected a tensor with at least 1 dim, got a 0-d tensor.")
    return check_dim(who, dim, x.ndim)


def split(input: Any, split_size: Any, dim: int = 0) -> tuple:  # noqa: A002
    """Pieces of ``split_size`` along ``dim`` (the last may be shorter), or of the listed sizes."""
    x = _tensor(input)
    axis = _axis_of("split", x, dim)
    length = x.shape[axis]
    if isinstance(split_size, np.integer):
        split_size = int(split_size)
    if isinstance(split_size, (float, bool)) or not isinstance(split_size, (int, list, tuple)):
        raise TypeError(
            f"split: expected split_size an int or a list of ints, got "
            f"{type(split_size).__name__} {split_size!r}."
        )
    if isinstance(split_size, int):
        if split_size < 0 or (split_size == 0 and length):
            raise ArgumentError(
                f"split: expected a split_size > 0 for dim {dim} of size {length}, got "
                f"{split_size}."
            )
        if length == 0:  # one empty piece, as torch
            return (getitem(x, (slice(None),) * axis + (slice(0, 0),)),)
        sizes = [split_size] * (length // split_size) + [length % split_size] * (
            length % split_size > 0
        )
    else:
        sizes = [int(n) for n in split_size]
        if sum(sizes) != length or min(sizes, default=0) < 0:  # slicing would clip silently
            raise ShapeError(
                f"split: expected split sizes >= 0 that sum to {length} (the size of dim "
                f"{dim}), got {sizes}."
            )
    pieces, start = [], 0
    for size in sizes:
        pieces.append(getitem(x, (slice(None),) * axis + (slice(start, start + size),)))
        start += size
    return mark_pieces("split", tuple(pieces))


def chunk(input: Any, chunks: int, dim: int = 0) -> tuple:  # noqa: A002
    """At most ``chunks`` pieces of equal size (the last may be shorter) along ``dim``; an empty
    dim gives ``chunks`` empty pieces, as torch."""
    x = _tensor(input)
    length = x.shape[_axis_of("chunk", x, dim)]
    if chunks < 1:
        raise ArgumentError(f"chunk: expected chunks >= 1, got {chunks}.")
    if length == 0:
        return split(x, [0] * chunks, dim)
    return split(x, math.ceil(length / chunks), dim)


def unflatten(input: Any, dim: int, sizes: Any):  # noqa: A002
    """Dim ``dim`` reshaped to ``sizes`` (one of them may be -1), as torch.Tensor.unflatten."""
    x = _tensor(input)
    if x.ndim == 0:
        raise DimError("unflatten: expected a tensor with at least 1 dim, got a 0-d tensor.")
    axis = check_dim("unflatten", dim, x.ndim)
    sizes = tuple(sizes)
    known = math.prod(s for s in sizes if s != -1)
    if not sizes or sizes.count(-1) > 1 or (-1 not in sizes and known != x.shape[axis]):
        raise ShapeError(
            f"unflatten: expected sizes whose product is {x.shape[axis]} (the size of dim {dim}),"
            f" got {sizes}."
        )
    if -1 in sizes:
        if known == 0 or x.shape[axis] % known:
            raise ShapeError(
                f"unflatten: expected sizes that divide {x.shape[axis]} (the size of dim {dim}),"
                f" got {sizes}."
            )
        sizes = tuple(x.shape[axis] // known if s == -1 else s for s in sizes)
    return x.reshape(*x.shape[:axis], *sizes, *x.shape[axis + 1 :])
