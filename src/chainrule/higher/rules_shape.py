"""create_graph rules for reductions and for ops that move elements (reshape, permute,
indexing, cat, stack, expand): each gradient is the grad Tensor moved back, so these rules
are linear in it and need no saved values of the inputs."""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..autograd.tensor import Tensor
from ..functional.broadcast import Expand, Repeat
from ..functional.reduction import Max, Mean, Min, Sum
from ..functional.shape import Concatenate, GetItem, Permute, Reshape, Stack
from .rules import const, down, rule


def _back_over(grad: Tensor, shape: tuple, axes: tuple | None, keepdim: bool) -> Tensor:
    """A reduced gradient given back its reduced axes, then broadcast over the input."""
    if not shape:
        return grad.reshape(())
    if axes is None:
        kept = (1,) * len(shape)
    elif keepdim:
        kept = tuple(grad.shape)
    else:
        kept = tuple(1 if i in axes else n for i, n in enumerate(shape))
    return Expand.apply(grad.reshape(kept), shape=shape)


@rule(Sum)
def _sum(ctx, out, grad):
    return _back_over(grad, ctx.shape, ctx.axes, ctx.keepdim)


@rule(Mean)
def _mean(ctx, out, grad):
    return _back_over(grad / float(ctx.count), ctx.shape, ctx.axes, ctx.keepdim)


@rule(Max, Min)
def _extreme(ctx, out, grad):
    hit = ctx.x == ctx.y_kept  # tied extremes share the gradient equally, as Max.backward
    with np.errstate(invalid="ignore", divide="ignore"):
        share = hit / hit.sum(axis=ctx.axes, keepdims=True)
    return grad.reshape(ctx.y_kept.shape) * const(share, grad)


@rule(Expand)
def _expand(ctx, out, grad):
    return down(grad, ctx.shape)


@rule(Reshape)
def _reshape(ctx, out, grad):
    return grad.reshape(ctx.shape)


@rule(Permute)
def _permute(ctx, out, grad):
    return Permute.apply(grad, dims=ctx.inverse)


class IndexBackward(Function):
    """GetItem's backward as an op: the gradient scattered into zeros at the index; its own
    gradient is the index taken again."""

    @staticmethod
    def forward(ctx, grad_y, source):
        ctx.index = source.index
        return GetItem.backward(source, grad_y)

    @staticmethod
    def backward(ctx, grad_grad):
        return grad_grad[ctx.index]


@rule(GetItem)
def _getitem(ctx, out, grad):
    return IndexBackward.apply(grad, source=ctx)


@rule(IndexBackward)
def _index_backward(ctx, out, grad):
    return GetItem.apply(grad, index=ctx.index)


def _slice(grad: Tensor, axis: int, part: slice | int) -> Tensor:
    return GetItem.apply(grad, index=(slice(None),) * axis + (part,))


@rule(Concatenate)
def _cat(ctx, out, grad):
    ends = [*ctx.cuts.tolist(), int(out.shape[ctx.axis])]
    starts = [0, *ends[:-1]]
    return tuple(
        _slice(grad, ctx.axis, slice(start, end)) if need else None
        for start, end, need in zip(starts, ends, ctx.needs_input_grad)
    )


@rule(Stack)
def _stack(ctx, out, grad):
    return tuple(
        _slice(grad, ctx.axis, i) if need else None for i, need in enumerate(ctx.needs_input_grad)
    )


@rule(Repeat)
def _repeat(ctx, out, grad):  # each tile's gradient, summed: tile axes interleaved, then summed
    split = [n for pair in zip(ctx.reps, ctx.padded) for n in pair]
    tiles = tuple(range(0, len(split), 2))
    return grad.reshape(*split).sum(dim=tiles).reshape(ctx.original)
