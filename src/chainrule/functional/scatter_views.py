"""The view-scatter ops torch.func and functionalised programs use: ``select_scatter``,
``slice_scatter``, ``diagonal_scatter`` (a copy of ``input`` with one view of it replaced by
``src``), and ``as_strided`` / ``as_strided_scatter`` over a tensor's storage.

One Function serves the three view scatters: each names its view as a key into the array (after
moving the diagonal's two dims last), so forward writes ``src`` there and backward reads the
gradient of ``src`` from there and zeroes it in the gradient of ``input``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_dim, fail_shape, fail_value, shape_str
from ..autograd.function import Function
from .sorting import _tensor
from .strided_views import linked


def _region(array: np.ndarray, diagonal: tuple | None) -> np.ndarray:
    """The array the key indexes: itself, or a view with the diagonal's dims moved last."""
    return array if diagonal is None else np.moveaxis(array, diagonal, (-2, -1))


class ViewScatter(Function):
    """out = x with out[view] = src; dL/dx is g with the view zeroed, dL/dsrc is g[view]."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, src, *, key, diagonal):
        out = x.copy()
        _region(out, diagonal)[key] = src
        ctx.save(key=key, diagonal=diagonal)
        return out

    @staticmethod
    def backward(ctx, grad_y):
        grad_src = np.array(_region(grad_y, ctx.diagonal)[ctx.key])
        grad_x = grad_y.copy()
        _region(grad_x, ctx.diagonal)[ctx.key] = 0
        return grad_x, grad_src


def _scatter(who: str, input: Any, src: Any, key: tuple, diagonal: tuple | None) -> Any:  # noqa: A002
    x, s = _tensor(input), _tensor(src)
    view = _region(x._data, diagonal)[key]
    if s.shape != view.shape:
        fail_shape(who, f"src of the view's shape {shape_str(view.shape)}", shape_str(s.shape))
    if s.dtype != x.dtype:
        fail_value(who, f"src of input's dtype {x.dtype}", f"{s.dtype}")
    return ViewScatter.apply(x, s, key=key, diagonal=diagonal)


def select_scatter(input: Any, src: Any, dim: int, index: int) -> Any:  # noqa: A002
    """A copy of ``input`` with ``input.select(dim, index)`` replaced by ``src``."""
    x = _tensor(input)
    axis = check_dim("select_scatter", dim, x.ndim, x.shape)
    size = x.shape[axis]
    if not -size <= index < size:
        raise IndexError(
            f"select_scatter: expected index in [{-size}, {size - 1}] for dim {dim} of size "
            f"{size}, got {index}."
        )
    return _scatter("select_scatter", x, src, (slice(None),) * axis + (index,), None)


def slice_scatter(
    input: Any,  # noqa: A002
    src: Any,
    dim: int = 0,
    start: int | None = None,
    end: int | None = None,
    step: int = 1,
) -> Any:
    """A copy of ``input`` with ``input[..., start:end:step, ...]`` (along ``dim``) replaced."""
    x = _tensor(input)
    axis = check_dim("slice_scatter", dim, x.ndim, x.shape)
    if step <= 0:
        fail_value("slice_scatter", "step > 0", str(step))
    key = (slice(None),) * axis + (slice(start, end, step),)
    return _scatter("slice_scatter", x, src, key, None)


def diagonal_scatter(input: Any, src: Any, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Any:  # noqa: A002
    """A copy of ``input`` with ``input.diagonal(offset, dim1, dim2)`` replaced by ``src``."""
    x = _tensor(input)
    first = check_dim("diagonal_scatter", dim1, x.ndim, x.shape)
    second = check_dim("diagonal_scatter", dim2, x.ndim, x.shape)
    if first == second:
        fail_value("diagonal_scatter", "two different dims", f"dim1 = dim2 = {dim1}")
    rows, cols = x.shape[first], x.shape[second]
    count = max(0, min(rows, cols - offset) if offset >= 0 else min(rows + offset, cols))
    row = np.arange(count) + max(0, -offset)
    key = (Ellipsis, row, row + offset)
    return _scatter("diagonal_scatter", x, src, key, (first, second))


# --- as_strided: a view of the storage by sizes and strides -------------------------------
def _storage(array: np.ndarray) -> np.ndarray:
    """The array that owns the memory (torch's storage), flat."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array.reshape(-1) if array.flags.c_contiguous else array.ravel()


def _grid(base: int, size: tuple, stride: tuple) -> np.ndarray:
    """The storage position of every element of a strided view, as an int64 array."""
    position = np.full(size, base, dtype=np.int64)
    for axis, (n, step) in enumerate(zip(size, stride)):
        shape = [1] * len(size)
        shape[axis] = n
        position += (np.arange(n, dtype=np.int64) * step).reshape(shape)
    return position


def _view(who: str, count: int, start: int, size: Any, stride: Any, offset: Any) -> np.ndarray:
    """Storage positions of the view's elements, checked to lie inside ``count`` elements."""
    size, stride = tuple(int(n) for n in size), tuple(int(n) for n in stride)
    if len(size) != len(stride):
        fail_shape(who, "as many strides as sizes", f"{len(stride)} and {len(size)}")
    if min(size + stride, default=0) < 0:
        fail_value(who, "sizes and strides >= 0", f"{list(size)} and {list(stride)}")
    offset = start if offset is None else int(offset)
    last = offset + sum((n - 1) * s for n, s in zip(size, stride)) if 0 not in size else offset
    if offset < 0 or (0 not in size and last >= count):
        fail_value(
            who, f"a view inside the storage of {count} elements", f"elements {offset} to {last}"
        )
    return _grid(offset, size, stride)


def _own(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The storage of ``x`` (flat) and the storage position of each of its elements."""
    storage = _storage(x)
    address = x.__array_interface__["data"][0] - storage.__array_interface__["data"][0]
    steps = tuple(s // x.itemsize for s in x.strides)
    return storage, _grid(address // max(x.itemsize, 1), x.shape, steps)


class AsStrided(Function):
    """y = storage[positions]; dL/dx adds g into the input's elements at the same positions
    (elements the view reads twice get both), and nothing for storage outside the input."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, *, view, own, geometry=None):
        ctx.save(view=view, own=own, shape=x.shape)
        storage = _storage(x)
        if geometry is None or not np.shares_memory(storage, x):  # (a copied storage)
            return storage[view]
        offset, size, stride = geometry
        # a view whose elements overlap is read-only: an in-place op would write some twice
        apart = np.unique(view).size == view.size
        steps = tuple(int(s) * x.itemsize for s in stride)
        return np.lib.stride_tricks.as_strided(
            storage[offset:], size, steps, writeable=storage.flags.writeable and apart
        )

    @staticmethod
    def backward(ctx, grad_y):
        grad_storage = np.zeros(ctx.view.size and int(ctx.view.max()) + 1, dtype=grad_y.dtype)
        np.add.at(grad_storage, ctx.view, grad_y)
        inside = ctx.own < grad_storage.size
        grad_x = np.zeros(ctx.shape, dtype=grad_y.dtype)
        grad_x[inside] = grad_storage[ctx.own[inside]]
        return grad_x


def as_strided(input: Any, size: Any, stride: Any, storage_offset: int | None = None) -> Any:  # noqa: A002
    """torch.as_strided: the elements of ``input``'s storage at ``storage_offset + sum(i_k *
    stride_k)``, as a view of that memory, as torch's (read-only where elements overlap)."""
    x = _tensor(input)
    storage, own = _own(x._data)
    start = int(own.flat[0]) if own.size else 0
    view = _view("as_strided", storage.size, start, size, stride, storage_offset)
    offset = start if storage_offset is None else int(storage_offset)
    geometry = (offset, tuple(int(n) for n in size), tuple(int(n) for n in stride))
    return linked(AsStrided.apply(x, view=view, own=own, geometry=geometry), x)


class AsStridedScatter(Function):
    """out = x with the view's storage positions set from src (the last write wins where the
    view overlaps itself); dL/dx is g outside them, dL/dsrc is g read at them."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, src, *, view, own):
        flat = np.zeros(int(max(own.max(initial=0), view.max(initial=0))) + 1, dtype=x.dtype)
        flat[own] = x
        flat[view] = src
        ctx.save(view=view, own=own, size=flat.size)
        return flat[own]

    @staticmethod
    def backward(ctx, grad_y):
        flat = np.zeros(ctx.size, dtype=grad_y.dtype)
        flat[ctx.own] = grad_y
        grad_src = flat[ctx.view]
        flat[ctx.view] = 0
        return flat[ctx.own], grad_src


def as_strided_scatter(
    input: Any,  # noqa: A002
    src: Any,
    size: Any,
    stride: Any,
    storage_offset: int | None = None,
) -> Any:
    """A copy of ``input`` with ``input.as_strided(size, stride, storage_offset)`` replaced by
    ``src``; as torch, the view is taken over a contiguous copy of ``input``."""
    x, s = _tensor(input), _tensor(src)
    own = np.arange(x.numel(), dtype=np.int64).reshape(x.shape)
    view = _view("as_strided_scatter", own.size, 0, size, stride, storage_offset)
    if s.shape != view.shape:
        fail_shape(
            "as_strided_scatter",
            f"src of the view's shape {shape_str(view.shape)}",
            shape_str(s.shape),
        )
    return AsStridedScatter.apply(x, s, view=view, own=own)
