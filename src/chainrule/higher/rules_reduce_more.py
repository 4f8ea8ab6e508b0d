"""create_graph rules for logcumsumexp, pdist and scatter_reduce (see rules.py): a scan, the
pairs of rows, and reductions into places, each written again with differentiable ops."""

from __future__ import annotations

import numpy as np

from ..autograd.tensor import Tensor
from ..functional.index_extras import ScatterReduce
from ..functional.nan_reductions import LogCumSumExp
from ..functional.pdist import Pdist
from ..functional.selection import Where
from ..functional.shape import GetItem
from .rules import const, rule
from .rules_first_order import first_order_only
from .rules_index import _placed


@rule(LogCumSumExp)
def _logcumsumexp(ctx, out, grad):
    """grad_x_j = sum_{i >= j} grad_i exp(x_j - y_i): every exponent is <= 0 there (y_i >= x_j),
    so the (n, n) matrix of them along the axis never overflows, as the log-space scan of the
    ndarray backward."""
    if not ctx.x.size:
        return grad * 0.0
    axis = ctx.axis
    x, y, g = (t.movedim(axis, -1) for t in (ctx.inputs[0], out, grad))
    lower = np.tril(np.ones((x.shape[-1],) * 2, dtype=bool))  # [i, j]: i >= j
    exponent = Where.apply(x.unsqueeze(-2) - y.unsqueeze(-1), const(0.0, grad), condition=lower)
    weights = exponent.exp() * const(lower, grad)
    return (g.unsqueeze(-1) * weights).sum(-2).movedim(-1, axis)


@rule(Pdist)
def _pdist(ctx, out, grad):
    """Pdist's backward on Tensors: slope sign(d) |d|^(p-1) / y^(p-1) per pair, added into both
    rows with opposite signs. (torch has no second derivative of pdist: this is checked by
    finite differences.)"""
    x, p, diff = ctx.inputs[0], ctx.p, ctx.diff
    if p == 0:
        return grad.sum() * const(np.zeros(x.shape), grad)
    sign = np.sign(diff)
    if p == 1 or np.isinf(p):
        slope = const(sign if p == 1 else sign * (np.abs(diff) == ctx.y[:, None]), grad)
    else:
        rows, cols = Tensor._wrap(ctx.rows), Tensor._wrap(ctx.cols)
        d = x.index_select(0, rows) - x.index_select(0, cols)
        flat = (ctx.y[:, None] == 0) | (diff == 0)  # torch's 0 there
        safe_d = Where.apply(const(1.0, grad), d, condition=flat)
        safe_y = Where.apply(const(1.0, grad), out, condition=ctx.y == 0).unsqueeze(1)
        if p == 2:
            slope = safe_d / safe_y
        else:
            slope = const(sign, grad) * (safe_d.abs() / safe_y) ** (p - 1)
        slope = slope * const(~flat, grad)
    share = grad.unsqueeze(1) * slope
    zeros = const(np.zeros(x.shape), grad)
    rows, cols = Tensor._wrap(ctx.rows), Tensor._wrap(ctx.cols)
    return zeros.index_add(0, rows, share).index_add(0, cols, -share)


@rule(ScatterReduce)
def _scatter_reduce(ctx, out, grad):
    """sum, mean, amax and amin are linear in grad with fixed weights (their shares, read off
    the ndarray backward at ones); prod is grad times the product of the others, out / own,
    so where a contributor is 0 the gradient is first-order only."""
    need_x, need_src = ctx.needs_input_grad[:2]
    grid, block = ctx.grid, ctx.block
    if ctx.reduce != "prod":
        on_x, on_src = ScatterReduce.backward(ctx, np.ones(grad.shape, grad._data.dtype))[:2]
        grad_x = grad * const(on_x, grad) if need_x else None
        shares = GetItem.apply(grad, index=grid) * const(on_src[block], grad) if need_src else None
    else:
        if np.any(ctx.x[ctx.include_self | ~ctx.hit] == 0) or np.any(ctx.values == 0):
            why = "has none in chainrule where a contributor to a product is 0"
            return tuple(
                first_order_only(ctx, grad, i, why) if need else None
                for i, need in enumerate((need_x, need_src))
            )
        spread = grad * out
        keep = ctx.include_self | ~ctx.hit
        own = Where.apply(ctx.inputs[0], const(1.0, grad), condition=keep)
        grad_x = spread / own * const(keep, grad) if need_x else None
        if need_src:
            values = GetItem.apply(ctx.inputs[1], index=block)
            shares = GetItem.apply(spread, index=grid) / values
    grad_src = _placed(shares, block, tuple(ctx.src_shape)) if need_src else None
    return grad_x, grad_src
