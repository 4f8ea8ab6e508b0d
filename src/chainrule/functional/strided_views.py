"""Views that pick a strided subset of a tensor's elements: ``diagonal`` and ``Tensor.unfold``.

The result shares the input's memory, as torch's does, so ``K.diagonal().add_(eps)`` (jitter on
a covariance's diagonal) writes into K, and a write into K shows in the diagonal. In the graph,
an in-place op on the view is recorded through its base (autograd/inplace.py). The gradient of
each element of the view goes back to the element of the input it shows.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._checks import check_dim, fail_shape, fail_value
from ..autograd.function import Function
from ..errors import ShapeError
from .sorting import _tensor


class StridedView(Function):
    """y = make(x), a view of x's memory; dx = dy scattered back to the element of x each
    element of y shows (summed where windows overlap)."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, *, make):
        ctx.save(make=make, input_shape=x.shape, dtype=x.dtype)
        return _with_tangent(make, x)

    @staticmethod
    def backward(ctx, grad_y):
        size = int(np.prod(ctx.input_shape, dtype=np.int64))
        # the same view, taken of x's flat positions, says where each element came from
        positions = ctx.make(np.arange(size, dtype=np.int64).reshape(ctx.input_shape))

        def scatter(grad: np.ndarray) -> np.ndarray:
            grad_x = np.zeros(size, dtype=ctx.dtype)
            np.add.at(grad_x, positions, grad)
            return grad_x.reshape(ctx.input_shape)

        return _with_tangent(scatter, grad_y)


def _with_tangent(fn: Callable, array: np.ndarray) -> np.ndarray:
    """fn(array); for a Dual (chainrule.func's forward mode), fn of its values and of its
    tangent, which NumPy's stride tricks would drop."""
    tangent = getattr(array, "tangent", None)
    if tangent is None or isinstance(tangent, str):
        return fn(array)
    from ..func.dual import Dual  # (chainrule.func builds on functional)

    return Dual(fn(array.primal), fn(tangent))


class Diagonal(StridedView):
    """The diagonal of two dims, as a last dim (torch.diagonal): a view."""


class UnfoldDim(StridedView):
    """Windows along one dim, as a new last dim (torch.Tensor.unfold): a view."""


def linked(view: Any, base: Any) -> Any:
    """Mark ``view`` as a view of ``base`` (shared version counter; in-place ops in the graph go
    through base), for views NumPy does not report as such (np.lib.stride_tricks.as_strided's)."""
    view._vc, view._view_of = base._vc, (base, None)
    return view


def _diagonal(a: np.ndarray, offset: int, axis1: int, axis2: int) -> np.ndarray:
    view = np.diagonal(a, offset, axis1, axis2)
    if a.flags.writeable:  # NumPy hands diagonals out read-only; torch's are written through
        view.flags.writeable = True
    return view


def diagonal(input: Any, offset: int = 0, dim1: int = 0, dim2: int = 1):  # noqa: A002
    """The diagonal of the (dim1, dim2) planes, as a last dim; a view of ``input``, as torch's."""
    x = _tensor(input)
    if x.ndim < 2:
        raise ShapeError(f"diagonal: expected a tensor with at least 2 dims, got {x.ndim}.")
    axis1, axis2 = check_dim("diagonal", dim1, x.ndim), check_dim("diagonal", dim2, x.ndim)
    if axis1 == axis2:
        fail_value("diagonal", "two different dims", f"dim1={dim1} and dim2={dim2}")
    make: Callable = lambda a: _diagonal(a, int(offset), axis1, axis2)  # noqa: E731
    return linked(Diagonal.apply(x, make=make), x)


def _windows(a: np.ndarray, axis: int, size: int, step: int) -> np.ndarray:
    count = (a.shape[axis] - size) // step + 1
    shape = a.shape[:axis] + (count,) + a.shape[axis + 1 :] + (size,)
    strides = a.strides[:axis] + (a.strides[axis] * step,) + a.strides[axis + 1 :]
    # windows that overlap share elements: read-only, so an in-place op, which would write
    # some elements twice, is refused (torch writes them, in an order it leaves undefined)
    apart = step >= size or count <= 1
    return np.lib.stride_tricks.as_strided(
        a, shape, strides + (a.strides[axis],), writeable=a.flags.writeable and apart
    )


def unfold(self: Any, dimension: int, size: int, step: int):
    """Windows of ``size`` elements every ``step`` along ``dimension``, as a new last dim:
    shape (..., (n - size) // step + 1, ..., size). A view, as torch's: windows that overlap
    share elements."""
    x = self if self.ndim else self.reshape(1)
    axis = check_dim("unfold", dimension, max(x.ndim, 1), tuple(x.shape))
    n = x.shape[axis]
    if step <= 0:
        fail_value("unfold", "step > 0", str(step))
    if size > n or size < 0:
        fail_shape("unfold", f"size <= {n} (the length of dim {dimension})", f"size {size}")
    make: Callable = lambda a: _windows(a, axis, int(size), int(step))  # noqa: E731
    result = linked(UnfoldDim.apply(x, make=make), x)
    return result.reshape(tuple(result.shape[1:])) if self.ndim == 0 else result
