"""create_graph rules for the strided views (diagonal, Tensor.unfold): a view's gradient is the
arriving gradient scattered back to the elements the view shows, a linear map whose own
gradient is the view taken again. And SetItem's, the form an in-place op through a view takes
in the graph (autograd/inplace.py), so a gradient through such a write can be differentiated."""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..functional.strided_views import Diagonal, StridedView, UnfoldDim
from ..functional.setitem import SetItem
from ..functional.shape import GetItem
from .rules import const, down, rule


class StridedViewBackward(Function):
    """A strided view's backward as an op; its gradient is the same view of the gradient."""

    @staticmethod
    def forward(ctx, grad_y, source):
        ctx.make = source.make
        return StridedView.backward(source, grad_y)

    @staticmethod
    def backward(ctx, grad_grad):
        return np.array(ctx.make(grad_grad))  # the view's elements, in memory of their own


@rule(StridedView, Diagonal, UnfoldDim)
def _strided_view(ctx, out, grad):
    return StridedViewBackward.apply(grad, source=ctx)


@rule(StridedViewBackward)
def _strided_view_backward(ctx, out, grad):
    return StridedView.apply(grad, make=ctx.make)


@rule(SetItem)
def _setitem(ctx, out, grad):
    """x[index] = v, the form an in-place op through a view takes in the graph: x's gradient
    is grad with the written elements zeroed, v's is grad read there (summed to v's shape)."""
    need_x, need_value = ctx.needs_input_grad
    grad_x = grad_value = None
    if need_x:
        kept = np.ones(tuple(grad.shape), dtype=bool)
        kept[ctx.index] = False
        grad_x = grad * const(kept, grad)
    if need_value:
        read = GetItem.apply(grad, index=ctx.index)
        trimmed = ctx.value_shape[max(len(ctx.value_shape) - read.ndim, 0) :]
        grad_value = down(read, trimmed).reshape(ctx.value_shape)
    return grad_x, grad_value
