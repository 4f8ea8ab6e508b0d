"""create_graph rules for special functions and the remaining elementwise ops (see rules.py):
lgamma -> digamma -> polygamma(1) -> polygamma(2) ..., each derivative the next op in line."""

from __future__ import annotations

import math

import numpy as np

from ..functional.binary_math import Copysign, FMax, XLogY
from ..functional.elementwise_math import Remainder, RoundedDiv, _trunc_quotient
from ..functional.indexing import Diag
from ..functional.selection import Where
from ..functional.shape_extras import DiagEmbed
from ..functional.special_functions import Digamma, Erfinv, Lgamma
from ..functional.special_math import Entr, Erfc, Ndtr
from ..functional.special_more import Polygamma
from ..functional.unary_math import Frac, Sinc
from .linear_ops import transposed
from .rules import const, down, operand, rule


@rule(Lgamma)
def _lgamma(ctx, out, grad):
    return grad * Digamma.apply(ctx.inputs[0])


@rule(Digamma)
def _digamma(ctx, out, grad):
    return grad * Polygamma.apply(ctx.inputs[0], n=1)


@rule(Polygamma)
def _polygamma(ctx, out, grad):
    return grad * Polygamma.apply(ctx.inputs[0], n=ctx.n + 1)


@rule(Erfinv)
def _erfinv(ctx, out, grad):
    y = ctx.inputs[0].erfinv()  # recomputed, as Erfinv's backward: out may have changed in place
    return grad * (y * y).exp() * (0.5 * math.sqrt(math.pi))


@rule(Erfc)
def _erfc(ctx, out, grad):
    x = ctx.inputs[0]
    return grad * (-(x * x)).exp() * (-2.0 / math.sqrt(math.pi))


@rule(Ndtr)
def _ndtr(ctx, out, grad):
    x = ctx.inputs[0]
    return grad * (x * x * -0.5).exp() * (1.0 / math.sqrt(2.0 * math.pi))


@rule(Entr)
def _entr(ctx, out, grad):
    return grad * -(ctx.inputs[0].log() + 1.0)


@rule(Sinc)
def _sinc(ctx, out, grad):  # (cos(pi x) - sinc x) / x, and 0 at x = 0
    x = ctx.inputs[0]
    zero = ctx.x == 0
    safe = Where.apply(const(1.0, grad), x, condition=zero)
    slope = ((safe * math.pi).cos() - out) / safe
    return grad * Where.apply(const(0.0, grad), slope, condition=zero)


@rule(Frac)
def _frac(ctx, out, grad):
    return grad


@rule(Diag)
def _diag(ctx, out, grad):  # linear: a vector's diagonal matrix, or a matrix's diagonal
    k = ctx.diagonal
    return transposed(ctx, grad, 0, lambda h: Diag.apply(h, diagonal=k))


@rule(DiagEmbed)
def _diag_embed(ctx, out, grad):
    config = dict(offset=ctx.offset, dim1=ctx.dims[0], dim2=ctx.dims[1])
    return transposed(ctx, grad, 0, lambda h: DiagEmbed.apply(h, **config))


# --- two operands --------------------------------------------------------------------------
def _shapes(ctx, grad) -> tuple:
    a, b = operand(ctx, 0, ctx.a, grad), operand(ctx, 1, ctx.b, grad)
    return a, b, tuple(a.shape), tuple(b.shape)


@rule(XLogY)
def _xlogy(ctx, out, grad):
    a, b, shape_a, shape_b = _shapes(ctx, grad)
    flat = (ctx.a == 0) & (ctx.b <= 0)  # torch's 0 there, not 0 * log(b <= 0)
    safe_b = Where.apply(const(1.0, grad), b, condition=flat)
    need_a, need_b = ctx.needs_input_grad
    return (
        down(grad * safe_b.log(), shape_a) if need_a else None,
        down(grad * a / b, shape_b) if need_b else None,
    )


@rule(FMax)
def _fmax(ctx, out, grad):
    _, _, shape_a, shape_b = _shapes(ctx, grad)
    zero = const(0.0, grad)
    need_a, need_b = ctx.needs_input_grad
    return (
        down(Where.apply(grad, zero, condition=ctx.to_a), shape_a) if need_a else None,
        down(Where.apply(zero, grad, condition=ctx.to_a), shape_b) if need_b else None,
    )


@rule(Copysign)
def _copysign(ctx, out, grad):
    _, _, shape_a, shape_b = _shapes(ctx, grad)
    a, y = ctx.a, ctx.y
    ratio = (a != 0) * (y / (a + (a == 0)))  # +-1 where a != 0, and torch's 0 at a = 0
    need_a, need_b = ctx.needs_input_grad
    return (
        down(grad * const(ratio, grad), shape_a) if need_a else None,
        down(grad * 0.0, shape_b) if need_b else None,
    )


@rule(Remainder)
def _remainder(ctx, out, grad):  # a - b q with q flat almost everywhere
    _, _, shape_a, shape_b = _shapes(ctx, grad)
    quotient = (np.floor_divide if ctx.mode == "remainder" else _trunc_quotient)(ctx.a, ctx.b)
    need_a, need_b = ctx.needs_input_grad
    return (
        down(grad, shape_a) if need_a else None,
        down(-grad * const(quotient, grad), shape_b) if need_b else None,
    )


@rule(RoundedDiv)
def _rounded_div(ctx, out, grad):
    shape_a, shape_b = ctx.shapes
    need_a, need_b = ctx.needs_input_grad
    return (
        down(grad * 0.0, shape_a) if need_a else None,
        down(grad * 0.0, shape_b) if need_b else None,
    )
