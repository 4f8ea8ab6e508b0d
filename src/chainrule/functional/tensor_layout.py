"""Tensor methods about layout rather than values: the in-place shape ops (squeeze_, unsqueeze_,
t_, transpose_, swapaxes_/swapdims_), resize_ and resize_as_, stride,
ndimension and new (unfold, a view, is in strided_views.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_dim, fail_value
from ..autograd.grad_mode import _Mode
from ..errors import GraphError
from .sorting import _tensor


def _reshaped_in_place(self: Any, who: str, reshape: Any):
    """Make ``self`` reshape(self) (same memory, new shape), as torch changes a tensor's sizes
    in place. In the graph, self takes the view's history, the view being taken of an alias
    that holds self's old history (so the graph has no loop through self)."""
    if _Mode.grad_enabled and self.requires_grad and self._ctx is None:
        raise GraphError(
            f"{who}: expected a tensor that does not require grad (or no_grad()), "
            f"got a leaf that requires grad.\nHint: use the out-of-place op."
        )
    old = self._wrap(self._data, self.requires_grad)
    old._ctx, old._vc = self._ctx, self._vc
    view = reshape(old)
    self._data = view._data
    if self._ctx is not None:
        self._ctx = view._ctx
    if self._view_of is not None:  # a reshaped view: later in-place writes in the graph refuse
        self._view_of = (self._view_of[0], None)
    return self


def squeeze_(self: Any, dim: Any = None):
    return _reshaped_in_place(self, "squeeze_", lambda t: t.squeeze(dim))


def unsqueeze_(self: Any, dim: int):
    return _reshaped_in_place(self, "unsqueeze_", lambda t: t.unsqueeze(dim))


def t_(self: Any):
    return _reshaped_in_place(self, "t_", lambda t: t.t())


def transpose_(self: Any, dim0: int, dim1: int):
    return _reshaped_in_place(self, "transpose_", lambda t: t.transpose(dim0, dim1))


def _sizes(sizes: tuple) -> tuple:
    if len(sizes) == 1 and hasattr(sizes[0], "__len__"):
        return tuple(int(n) for n in sizes[0])
    return tuple(int(n) for n in sizes)


def resize_(self: Any, *sizes: Any, memory_format: Any = None):
    """New sizes in place: the same elements in order where the count is unchanged; a grown
    tensor keeps its elements first and zeros after (torch leaves those uninitialised)."""
    shape = _sizes(sizes) if sizes else ()
    if min(shape, default=0) < 0:
        fail_value("resize_", "non-negative sizes", str(list(shape)))
    if self.requires_grad:
        raise GraphError(
            "resize_: expected a tensor that does not require grad, got one that "
            "does.\nHint: torch refuses this too; resize a detached copy."
        )
    count = int(np.prod(shape, dtype=np.int64))
    if count == self._data.size:
        self._data = self._data.reshape(shape)
    else:
        grown = np.zeros(count, dtype=self._data.dtype)
        kept = min(count, self._data.size)
        grown[:kept] = self._data.reshape(-1)[:kept]
        self._data = grown.reshape(shape)
    return self


def resize_as_(self: Any, the_template: Any, memory_format: Any = None):
    return resize_(self, tuple(the_template.shape))


def stride(self: Any, dim: int | None = None) -> Any:
    """Strides in elements, as torch counts them (NumPy counts bytes)."""
    steps = tuple(s // self._data.itemsize for s in self._data.strides)
    if dim is None:
        return steps
    return steps[check_dim("stride", dim, max(self.ndim, 1))] if steps else 1


def ndimension(self: Any) -> int:
    return self.ndim


def new(self: Any, *args: Any, **kwargs: Any):
    """The legacy constructor: new() is empty, new(2, 3) has that shape (zeros, where torch's
    are uninitialised), new(data) copies data; all in this tensor's dtype."""
    dtype = kwargs.get("dtype") or self.dtype
    if not args:
        return _tensor(np.zeros((0,), dtype=dtype))
    if all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in args):
        return _tensor(np.zeros(tuple(int(a) for a in args), dtype=dtype))
    if len(args) == 1 and type(args[0]).__name__ == "Size":
        return _tensor(np.zeros(tuple(args[0]), dtype=dtype))
    return _tensor(np.array(getattr(args[0], "_data", args[0]), dtype=dtype, copy=True))
