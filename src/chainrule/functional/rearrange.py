"""Rearranging without arithmetic: unbind, narrow, movedim, broadcast_to, tile, roll, diagonal,
trace, hstack, vstack and meshgrid (torch's names). Each is indexing, expand, repeat, permute
or cat underneath, so the gradient is theirs and none is written here."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._checks import check_allocation, check_dim
from ..errors import ArgumentError, DimError, ShapeError
from ..view_positions import mark_pieces
from .shape import cat, getitem
from .sorting import _tensor
from .strided_views import diagonal


def _axis(who: str, x: Any, dim: int) -> int:
    return check_dim(who, dim, max(x.ndim, 1))


def unbind(input: Any, dim: int = 0) -> tuple:  # noqa: A002
    """The slices along ``dim``, each without that dim."""
    x = _tensor(input)
    if x.ndim == 0:  # torch: "Dimension specified as 0 but tensor has no dimensions"
        raise DimError("unbind: expected a tensor with at least 1 dim, got a 0-d tensor.")
    axis = _axis("unbind", x, dim)
    pieces = tuple(getitem(x, (slice(None),) * axis + (i,)) for i in range(x.shape[axis]))
    return mark_pieces("unbind", pieces)


def narrow(input: Any, dim: int, start: int, length: int):  # noqa: A002
    """input[..., start:start + length, ...] along ``dim`` (a negative start counts from the end)."""
    x = _tensor(input)
    if x.ndim == 0:  # torch: "narrow() cannot be applied to a 0-dim tensor"
        raise ShapeError("narrow: expected a tensor with at least 1 dim, got a 0-d tensor.")
    axis = _axis("narrow", x, dim)
    size = x.shape[axis]
    begin = start + size if start < 0 else start
    if not (0 <= begin and length >= 0 and begin + length <= size):
        raise DimError(  # torch: IndexError for start, RuntimeError for length
            f"narrow: expected start and length inside dim {dim} of size {size}, got "
            f"start={start}, length={length}."
        )
    return getitem(x, (slice(None),) * axis + (slice(begin, begin + length),))


def movedim(input: Any, source: Any, destination: Any):  # noqa: A002
    """``input`` with the dims at ``source`` moved to ``destination`` (ints or sequences)."""
    x = _tensor(input)
    source = [source] if isinstance(source, int) else list(source)
    destination = [destination] if isinstance(destination, int) else list(destination)
    if len(source) != len(destination):
        raise ShapeError(
            f"movedim: expected as many source as destination dims, got {len(source)} and "
            f"{len(destination)}."
        )
    source = [_axis("movedim", x, d) for d in source]
    destination = [_axis("movedim", x, d) for d in destination]
    if x.ndim == 0:  # dim 0 (or -1) of a 0-d tensor moves nowhere, as torch
        return x.reshape(())
    order: list[Any] = [None] * x.ndim
    for src, dst in zip(source, destination):
        order[dst] = src
    rest = iter(d for d in range(x.ndim) if d not in source)
    return x.permute(*(d if d is not None else next(rest) for d in order))


def broadcast_to(input: Any, size: Sequence[int]):  # noqa: A002
    return _tensor(input).expand(*size)


def tile(input: Any, dims: Sequence[int]):  # noqa: A002
    """``input`` repeated ``dims`` times per dim; short ``dims`` are padded with ones on the left."""
    x = _tensor(input)
    dims = tuple(dims)
    if len(dims) > x.ndim:
        x = x.reshape((1,) * (len(dims) - x.ndim) + tuple(x.shape))
    return x.repeat(*((1,) * (x.ndim - len(dims)) + dims))


def roll(input: Any, shifts: Any, dims: Any = None):  # noqa: A002
    """Elements shifted ``shifts`` places along ``dims``, wrapping around (flattened if no dims)."""
    x = _tensor(input)
    if dims is None:
        return roll(x.reshape(-1), shifts, 0).reshape(*x.shape)
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise ShapeError(
            f"roll: expected as many shifts as dims, got {len(shifts)} and {len(dims)}."
        )
    for shift, dim in zip(shifts, dims):
        axis = _axis("roll", x, dim)
        source = np.roll(np.arange(x.shape[axis]), shift)
        x = getitem(x, (slice(None),) * axis + (source,))
    return x


def trace(input: Any):  # noqa: A002
    """The sum of a matrix's main diagonal."""
    x = _tensor(input)
    if x.ndim != 2:
        raise ShapeError(f"trace: expected a 2-D tensor, got {x.ndim} dims.")
    return diagonal(x).sum()


def dot(input: Any, tensor: Any):  # noqa: A002
    """The inner product of two 1-D tensors of the same length."""
    a, b = _tensor(input), _tensor(tensor)
    if a.ndim != 1 or b.ndim != 1 or a.shape != b.shape:
        raise ShapeError(
            f"dot: expected two 1-D tensors of the same length, got {tuple(a.shape)} and "
            f"{tuple(b.shape)}."
        )
    return (a * b).sum()


def mv(input: Any, vec: Any):  # noqa: A002
    """A matrix (n, m) times a vector (m,), as torch.mv (matmul without its broadcasting)."""
    a, b = _tensor(input), _tensor(vec)
    if a.ndim != 2 or b.ndim != 1 or a.shape[1] != b.shape[0]:
        raise ShapeError(
            f"mv: expected a matrix (n, m) and a vector (m,), got {tuple(a.shape)} and "
            f"{tuple(b.shape)}."
        )
    return a @ b


def repeat_interleave(input: Any, repeats: Any, dim: int | None = None):  # noqa: A002
    """Each element (each slice along ``dim``; of the flattened input if dim is None) repeated
    ``repeats`` times (an int, or one count per slice), as torch: an index_select underneath."""
    x = _tensor(input)
    if dim is None:
        x, dim = x.reshape(-1), 0
    axis = _axis("repeat_interleave", x, dim)
    if x.ndim == 0:
        x = x.reshape(1)
    counts = np.asarray(getattr(repeats, "_data", repeats))
    if counts.dtype.kind not in "iu" or (counts < 0).any():
        raise ArgumentError(
            f"repeat_interleave: expected non-negative integer repeats, got {counts.tolist()}."
        )
    index = np.repeat(np.arange(x.shape[axis]), counts)
    return getitem(x, (slice(None),) * axis + (index,))


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = np.int64, **_: Any):
    """The (2, N) row and column indices of the lower triangle of a row x col matrix."""
    check_allocation("tril_indices", row * col, 17, f"{row} x {col}")  # NumPy's mask, then indices
    return _tensor(np.stack(np.tril_indices(row, offset, col)).astype(dtype, copy=False))


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = np.int64, **_: Any):
    """The (2, N) row and column indices of the upper triangle of a row x col matrix."""
    check_allocation("triu_indices", row * col, 17, f"{row} x {col}")
    return _tensor(np.stack(np.triu_indices(row, offset, col)).astype(dtype, copy=False))


def hstack(tensors: Sequence[Any]):
    """cat along dim 1, or dim 0 for 1-D tensors, as torch.hstack."""
    tensors = [_tensor(t) for t in tensors]
    return cat(tensors, 0 if tensors and tensors[0].ndim == 1 else 1)


def vstack(tensors: Sequence[Any]):
    """cat along dim 0 with 1-D tensors taken as rows, as torch.vstack."""
    tensors = [_tensor(t) for t in tensors]
    return cat([t.reshape(1, -1) if t.ndim == 1 else t for t in tensors], 0)


def meshgrid(*tensors: Any, indexing: str = "ij") -> tuple:
    """Coordinate grids from 1-D tensors; ``indexing`` is "ij" (torch's default) or "xy"."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing not in ("ij", "xy"):
        raise ArgumentError(f"meshgrid: expected indexing 'ij' or 'xy', got {indexing!r}.")
    grids = [_tensor(t).reshape(-1) for t in tensors]
    swap = indexing == "xy" and len(grids) >= 2
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    shape = tuple(g.shape[0] for g in grids)
    out = [
        g.reshape(*(-1 if i == k else 1 for i in range(len(grids)))).expand(*shape)
        for k, g in enumerate(grids)
    ]
    if swap:  # "xy": the grids of (y, x) in "ij", handed back as (x, y)
        out[0], out[1] = out[1], out[0]
    return tuple(out)
