"""torch's view rules for the methods that name them: ``view`` only where the new shape can be
had by new strides over the same memory (else torch's error: use reshape), ``view_as``,
``_base``, the tensor a view looks into, and ``untyped_storage``, the memory they share. Bound
onto Tensor at import (autograd/ keeps a line budget), as tensor_storage.py binds its methods."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .autograd.tensor import Tensor
from .errors import ShapeError
from .functional.shape import _shape_arg, reshape
from .view_dtype import is_dtype, view_as_dtype


def view_strides(shape: tuple, strides: tuple, new: tuple) -> tuple | None:
    """Strides (in elements) that lay ``new`` over the memory of a tensor of ``shape`` and
    ``strides``, or None when there are none: torch's rule. Dims are taken in runs that are
    contiguous with each other; each run must be split or merged by the new shape on its own,
    and size-1 dims fit anywhere."""
    if not shape:
        return (1,) * len(new)
    if math.prod(shape) == 0:
        return tuple(strides) if tuple(new) == tuple(shape) else _contiguous(new)
    found = [0] * len(new)
    at = len(new) - 1
    base_stride, run, taken = strides[-1], 1, 1
    for d in range(len(shape) - 1, -1, -1):
        run *= shape[d]
        if d == 0 or (shape[d - 1] != 1 and strides[d - 1] != run * base_stride):
            while at >= 0 and (taken < run or new[at] == 1):
                found[at] = taken * base_stride
                taken *= new[at]
                at -= 1
            if taken != run:
                return None
            if d > 0:
                base_stride, run, taken = strides[d - 1], 1, 1
    return tuple(found) if at == -1 else None


def _contiguous(shape: tuple) -> tuple:
    steps, step = [], 1
    for n in reversed(shape):
        steps.append(step)
        step *= max(n, 1)
    return tuple(reversed(steps))


def view(self: Any, *shape: Any) -> Any:
    """This tensor's memory seen with a new shape (one size may be -1), as torch.Tensor.view:
    refused, as torch refuses it, when no strides over the same memory give that shape."""
    if len(shape) == 1 and is_dtype(shape[0]):  # view(dtype): the same bytes as another dtype
        return view_as_dtype(self, shape[0])
    sizes = _shape_arg(shape)
    if self._data.flags.c_contiguous:  # the common case: every shape is a view of it
        return reshape(self, *sizes)
    known = math.prod(n for n in sizes if n != -1)
    target = tuple(self._data.size // known if n == -1 and known else n for n in sizes)
    fits = math.prod(target) == self._data.size  # if not, reshape says so below
    if fits and view_strides(tuple(self.shape), self.stride(), target) is None:
        raise ShapeError(
            f"view: expected a shape that strides over the tensor's memory, got {tuple(target)} "
            f"for a tensor of shape {tuple(self.shape)} and strides {self.stride()} (at least "
            f"one dim spans two contiguous runs).\nHint: use .reshape(...), which copies when "
            f"it must, as torch says."
        )
    return reshape(self, *sizes)


def view_as(self: Any, other: Any) -> Any:
    return view(self, *other.shape)


def _base(self: Any) -> Any:
    """The tensor this one is a view of (the first one in a chain of views), or None."""
    if self._view_of is None:
        return None
    base = self._view_of[0]
    while base._view_of is not None:
        base = base._view_of[0]
    return base


class UntypedStorage:
    """The memory a tensor and its views share (torch's ``untyped_storage()``): its address and
    size in bytes, so ``v.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()`` says
    whether v and x share memory, as in torch."""

    __slots__ = ("_array",)

    def __init__(self, array: np.ndarray) -> None:
        self._array = array

    def data_ptr(self) -> int:
        return int(self._array.__array_interface__["data"][0])

    def nbytes(self) -> int:
        return int(self._array.nbytes)

    size = nbytes

    def __len__(self) -> int:
        return self.nbytes()

    def __repr__(self) -> str:
        return f"UntypedStorage(nbytes={self.nbytes()})"


def untyped_storage(self: Any) -> UntypedStorage:
    base = _base(self)  # first: a stride-tricks view's NumPy base is no array
    owner = (self if base is None else base)._data
    while isinstance(owner.base, np.ndarray):
        owner = owner.base
    return UntypedStorage(owner)


Tensor.view, Tensor.view_as, Tensor._base = view, view_as, property(_base)
Tensor.untyped_storage = untyped_storage
