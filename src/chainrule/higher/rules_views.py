"""create_graph rules for the strided views (diagonal, Tensor.unfold): a view's gradient is the
arriving gradient scattered back to the elements the view shows, a linear map whose own
gradient is the view taken again. (SetItem's, the form an in-place op through a view takes in
the graph, is in rules_index.py.)"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..functional.strided_views import Diagonal, StridedView, UnfoldDim
from .rules import rule


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
