"""create_graph rules for writes at an index: scatter / scatter_add, index_add, index_put and
``x[i] = v`` (see rules.py). Each is linear in both inputs once the index is fixed, so each
gradient is the upstream gradient read at, or kept outside, the written places: GetItem and
its transpose, which have rules of their own."""

from __future__ import annotations

import numpy as np

from ..functional.scatter import IndexAdd, IndexPut, Scatter
from ..functional.scatter_views import AsStrided, AsStridedScatter, ViewScatter
from ..functional.setitem import SetItem
from ..functional.shape import GetItem
from .linear_ops import jointly_linear, transposed
from .rules import const, down, rule
from .rules_shape import IndexBackward


def _outside(ctx, grad, where, add: bool):
    """The input's gradient past the writes: all of it where they added, none where they wrote."""
    if add:
        return grad
    keep = np.ones(grad.shape, dtype=bool)
    keep[where] = False
    return grad * const(keep, grad)


def _placed(grad, index, shape: tuple):
    """grad into zeros of ``shape`` at ``index`` (adding where it repeats), with a graph."""
    source = GetItem()
    source.save(shape=shape, dtype=grad._data.dtype, index=index)
    return IndexBackward.apply(grad, source=source)


@rule(Scatter)
def _scatter(ctx, out, grad):
    need_x, need_src = ctx.needs_input_grad[:2]
    grad_src = None
    if need_src:
        grad_src = _placed(GetItem.apply(grad, index=ctx.grid), ctx.block, ctx.src_shape)
    return (_outside(ctx, grad, ctx.grid, ctx.add) if need_x else None), grad_src


@rule(IndexAdd)
def _index_add(ctx, out, grad):
    need_x, need_source = ctx.needs_input_grad[:2]
    grad_source = GetItem.apply(grad, index=ctx.where) * float(ctx.alpha) if need_source else None
    return (grad if need_x else None), grad_source


@rule(IndexPut)
def _index_put(ctx, out, grad):
    need_x, need_values = ctx.needs_input_grad[:2]
    grad_values = None
    if need_values:
        grad_values = down(GetItem.apply(grad, index=ctx.index), tuple(ctx.values_shape))
    return (_outside(ctx, grad, ctx.index, ctx.add) if need_x else None), grad_values


@rule(SetItem)
def _setitem(ctx, out, grad):
    need_x, need_value = ctx.needs_input_grad[:2]
    grad_value = None
    if need_value:
        picked = GetItem.apply(grad, index=ctx.index)
        trimmed = ctx.value_shape[max(len(ctx.value_shape) - picked.ndim, 0) :]
        grad_value = down(picked, tuple(trimmed)).reshape(ctx.value_shape)
    return (_outside(ctx, grad, ctx.index, False) if need_x else None), grad_value


# --- select/slice/diagonal_scatter and as_strided: linear, so their own backward again ------
@rule(ViewScatter)
def _view_scatter(ctx, out, grad):
    config = dict(key=ctx.key, diagonal=ctx.diagonal)
    return jointly_linear(ctx, grad, lambda x, src: ViewScatter.apply(x, src, **config))


@rule(AsStridedScatter)
def _as_strided_scatter(ctx, out, grad):
    config = dict(view=ctx.view, own=ctx.own)
    return jointly_linear(ctx, grad, lambda x, src: AsStridedScatter.apply(x, src, **config))


@rule(AsStrided)
def _as_strided(ctx, out, grad):
    config = dict(view=ctx.view, own=ctx.own)
    return transposed(ctx, grad, 0, lambda h: AsStrided.apply(h, **config))
