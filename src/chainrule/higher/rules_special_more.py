"""create_graph rules for the Bessel functions and the other special functions (see rules.py):
each derivative is written with the family's own ops (i0' = i1, ndtri' from ndtri itself), so
that every order follows. zeta's exponent has no derivative, as in torch; gammainc's first
argument has a first one only (rules_first_order.py)."""

from __future__ import annotations

import math

import numpy as np

from ..distributions._special import Gammainc, LogBessel
from ..functional.bessel import I0, I1, I0e, I1e
from ..functional.float_parts import FrexpMantissa
from ..functional.selection import Where
from ..functional.special_math import LogNdtr
from ..functional.special_more import Erfcx, Ndtri, Zeta
from .rules import const, down, operand, rule
from .rules_first_order import first_order_only


def _at_zero(x, value: float, elsewhere):
    """``elsewhere`` computed on a safe x (1 where x = 0), and ``value`` at 0."""
    zero = x._data == 0
    safe = Where.apply(const(1.0, x), x, condition=zero)
    return Where.apply(const(value, x), elsewhere(safe), condition=zero)


@rule(I0)
def _i0(ctx, out, grad):
    return grad * I1.apply(ctx.inputs[0])


@rule(I0e)
def _i0e(ctx, out, grad):
    x = ctx.inputs[0]
    return grad * (I1e.apply(x) - const(np.sign(ctx.x), grad) * out)


@rule(I1)
def _i1(ctx, out, grad):  # i0(x) - i1(x) / x, 1/2 at 0
    x = ctx.inputs[0]
    return grad * (I0.apply(x) - _at_zero(x, 0.5, lambda s: I1.apply(s) / s))


@rule(I1e)
def _i1e(ctx, out, grad):  # i0e(x) - i1e(x) (sign(x) + 1/x), 1/2 at 0
    x = ctx.inputs[0]
    sign = const(np.sign(ctx.x), grad)
    return grad * (I0e.apply(x) - _at_zero(x, 0.5, lambda s: I1e.apply(s) * (sign + 1.0 / s)))


@rule(LogNdtr)
def _log_ndtr(ctx, out, grad):  # exp(log pdf(x) - log ndtr(x))
    x = ctx.inputs[0]
    return grad * (x * x * -0.5 - out - 0.5 * math.log(2 * math.pi)).exp()


@rule(Erfcx)
def _erfcx(ctx, out, grad):
    return grad * (ctx.inputs[0] * out * 2.0 - 2.0 / math.sqrt(math.pi))


@rule(Ndtri)
def _ndtri(ctx, out, grad):
    return grad * (out * out * 0.5).exp() * math.sqrt(2 * math.pi)


@rule(FrexpMantissa)
def _frexp_mantissa(ctx, out, grad):
    return grad * const(np.ldexp(1.0, -ctx.exponent), grad)


@rule(Zeta)
def _zeta(ctx, out, grad):
    if ctx.needs_input_grad[0]:
        Zeta.backward(ctx, grad._data)  # torch's refusal, in its words
    s = operand(ctx, 0, ctx.s, grad)
    return None, down(grad * -s * Zeta.apply(s + 1.0, ctx.inputs[1]), tuple(ctx.q.shape))


@rule(LogBessel)
def _log_bessel(ctx, out, grad):
    x = ctx.inputs[0]
    if ctx.order == 0:
        return grad * (LogBessel.apply(x, order=1) - out).exp()
    return grad * ((LogBessel.apply(x, order=0) - out).exp() - 1.0 / x)


@rule(Gammainc)
def _gammainc(ctx, out, grad):  # dP/dx = exp((a - 1) log x - x - lgamma(a))
    need_a, need_x = ctx.needs_input_grad
    grad_a = grad_x = None
    if need_a:  # torch defines no derivative in a; chainrule's first is numerical
        grad_a = first_order_only(ctx, grad, 0, "is numerical (torch defines none)")
    if need_x:
        a, x = operand(ctx, 0, ctx.a, grad), ctx.inputs[1]
        density = ((a - 1.0) * x.log() - x - a.lgamma()).exp()
        grad_x = down(grad * density, tuple(ctx.x.shape))
    return grad_a, grad_x
