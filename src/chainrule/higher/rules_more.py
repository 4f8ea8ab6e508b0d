"""create_graph rules for the rest of the elementwise math, activations, Huber / smooth-L1,
products and running sums and products (see rules.py): each ndarray backward again on Tensors."""

from __future__ import annotations

import numpy as np

from ..errors import UnsupportedError
from ..functional import elementwise_math as EM
from ..functional import hyperbolic_inverse as HI
from ..functional.activation_more import Hardsigmoid, Hardswish, Noisy, PReLU, ScaledELU, Shrink
from ..functional.binary_math import Hypot, LogAddExp
from ..functional.einsum import Prod
from ..functional.indexing import Triangle
from ..functional.lerp import Lerp
from ..functional.regression_loss import HuberLoss
from ..functional.scan_stats import CumProd
from ..functional.selection import Where
from ..functional.sorting import CumSum
from ..functional.unary_math import Logit
from .rules import const, down, operand, rule
from .rules_nn import _both_sides, _upstream


# --- elementwise math ----------------------------------------------------------------------
@rule(EM.Sinh)
def _sinh(ctx, out, grad):
    return grad * ctx.inputs[0].cosh()


@rule(EM.Cosh)
def _cosh(ctx, out, grad):
    return grad * ctx.inputs[0].sinh()


@rule(EM.Expm1)
def _expm1(ctx, out, grad):
    return grad * (out + 1.0)


@rule(EM.Asin, EM.Acos)
def _asin(ctx, out, grad):
    x = ctx.inputs[0]
    slope = (1.0 - x * x) ** -0.5
    return grad * slope if type(ctx) is EM.Asin else -grad * slope


@rule(HI.Asinh)
def _asinh(ctx, out, grad):
    x = ctx.inputs[0]
    return grad * (x * x + 1.0) ** -0.5


@rule(HI.Acosh)
def _acosh(ctx, out, grad):
    x = ctx.inputs[0]
    return grad * (x * x - 1.0) ** -0.5


@rule(HI.Atanh)
def _atanh(ctx, out, grad):
    x = ctx.inputs[0]
    return grad / (1.0 - x * x)


@rule(EM.Atan2)
def _atan2(ctx, out, grad):
    a, b = operand(ctx, 0, ctx.a, grad), operand(ctx, 1, ctx.b, grad)
    scaled = grad / (a * a + b * b)
    need_a, need_b = ctx.needs_input_grad
    return (
        down(scaled * b, tuple(a.shape)) if need_a else None,
        down(-scaled * a, tuple(b.shape)) if need_b else None,
    )


@rule(LogAddExp)
def _logaddexp(ctx, out, grad):
    a, b = operand(ctx, 0, ctx.a, grad), operand(ctx, 1, ctx.b, grad)
    base = 2.0 if ctx.base2 else np.e
    need_a, need_b = ctx.needs_input_grad
    return (
        down(grad * base ** (a - out), tuple(a.shape)) if need_a else None,
        down(grad * base ** (b - out), tuple(b.shape)) if need_b else None,
    )


@rule(Hypot)
def _hypot(ctx, out, grad):
    a, b = operand(ctx, 0, ctx.a, grad), operand(ctx, 1, ctx.b, grad)
    scaled = grad / out
    need_a, need_b = ctx.needs_input_grad
    return (
        down(scaled * a, tuple(a.shape)) if need_a else None,
        down(scaled * b, tuple(b.shape)) if need_b else None,
    )


@rule(Logit)
def _logit(ctx, out, grad):
    x = ctx.inputs[0]
    slope = grad / (x * (1.0 - x))
    if ctx.eps is None:
        return slope
    inside = (ctx.x >= ctx.eps) & (ctx.x <= 1 - ctx.eps)
    return Where.apply(slope, const(0.0, grad), condition=inside)


@rule(Lerp)
def _lerp(ctx, out, grad):
    a, b = ctx.inputs[0], ctx.inputs[1]
    w = ctx.inputs[2] if len(ctx.inputs) > 2 and ctx.inputs[2] is not None else const(ctx.w, grad)
    needs = ctx.needs_input_grad
    grads = [
        down(grad * (1.0 - w), tuple(a.shape)) if needs[0] else None,
        down(grad * w, tuple(b.shape)) if needs[1] else None,
    ]
    if len(needs) == 3:
        grads.append(down(grad * (b - a), tuple(w.shape)) if needs[2] else None)
    return tuple(grads)


# --- activations ---------------------------------------------------------------------------
@rule(ScaledELU)
def _scaled_elu(ctx, out, grad):  # selu and celu
    x = ctx.inputs[0]
    negative = ~ctx.positive
    # input_scale (1 for selu, 1 / alpha for celu) was not saved: e = exp(input_scale x)
    # gives it back at the most negative x still inside exp's range
    rate, raw = 1.0, x._data
    usable = negative & (ctx.e > 1e-300) & (raw != 0)
    if usable.any():
        at = np.argmin(np.where(usable, raw, 0))
        rate = float(np.log(ctx.e.reshape(-1)[at]) / raw.reshape(-1)[at])
    inside = Where.apply(const(0.0, grad), x, condition=ctx.positive)  # no overflow where x > 0
    slope = (inside * rate).exp() * float(ctx.slope)
    return Where.apply(grad * float(ctx.scale), grad * slope, condition=ctx.positive)


@rule(PReLU)
def _prelu(ctx, out, grad):
    x, weight = ctx.inputs[0], ctx.inputs[1]
    slope = weight.reshape(ctx.slope.shape) if weight is not None else const(ctx.slope, grad)
    zero = const(0.0, grad)
    needs = ctx.needs_input_grad
    grad_x = Where.apply(grad, grad * slope, condition=ctx.positive) if needs[0] else None
    grad_w = None
    if needs[1]:
        part = Where.apply(zero, grad * x, condition=ctx.positive)
        if ctx.slope.ndim == 0:
            grad_w = part.sum().reshape(ctx.weight_shape)
        else:
            axes = tuple(a for a in range(part.ndim) if a != min(1, part.ndim - 1))
            grad_w = part.sum(dim=axes).reshape(ctx.weight_shape)
    return grad_x, grad_w


@rule(Hardswish)
def _hardswish(ctx, out, grad):
    x, raw = ctx.inputs[0], ctx.x
    middle = Where.apply(x / 3.0 + 0.5, const(0.0, grad), condition=raw < 3)
    return grad * Where.apply(const(1.0, grad), middle, condition=raw >= 3) * const(raw > -3, grad)


@rule(Hardsigmoid)
def _hardsigmoid(ctx, out, grad):
    return grad * const(ctx.inside / 6.0, grad)


@rule(Shrink)
def _shrink(ctx, out, grad):
    return grad * const(ctx.keep, grad)


@rule(Noisy)
def _noisy(ctx, out, grad):
    return grad * const(ctx.noise, grad), None


# --- Huber and smooth L1 -------------------------------------------------------------------
@rule(HuberLoss)
def _huber(ctx, out, grad):
    p, t = ctx.inputs
    if t is None:
        raise UnsupportedError(
            "backward(create_graph=True): expected huber_loss's target as a Tensor, got an "
            "array or number.\nHint: pass chainrule.tensor(target); the loss is the same."
        )
    diff = p - t
    # clip(d, -delta, delta): d itself inside (slope 1), the saved bound outside (slope 0)
    inside = ctx.slope == diff._data
    slope = Where.apply(diff, const(ctx.slope, grad), condition=inside)
    return _both_sides(ctx, slope * _upstream(grad, ctx.scale))


# --- products and running sums -------------------------------------------------------------
@rule(CumSum)
def _cumsum(ctx, out, grad):
    axis = ctx.axis
    return grad.flip(axis).cumsum(axis).flip(axis)


def _no_zeros(ctx, x: np.ndarray) -> None:
    if (x == 0).any():
        raise UnsupportedError(
            f"backward(create_graph=True): expected no zeros in {type(ctx).op_name()}'s input, "
            f"got some.\nHint: their second derivative needs torch's exact slow path, which "
            f"chainrule has in first order only; use create_graph=False or chainrule.func."
        )


@rule(CumProd)
def _cumprod(ctx, out, grad):
    _no_zeros(ctx, ctx.x)
    axis = ctx.axis
    return (grad * out).flip(axis).cumsum(axis).flip(axis) / ctx.inputs[0]


@rule(Prod)
def _prod(ctx, out, grad):
    x, axis = ctx.inputs[0], ctx.axis
    kept = out if ctx.keepdim or axis is None else out.unsqueeze(axis)
    upstream = grad if ctx.keepdim or axis is None else grad.unsqueeze(axis)
    if not (ctx.x == 0).any():
        return upstream * (kept / x)
    # with zeros: the product of the others, as the product of x with its own entry set to 1
    moved = x.reshape(-1) if axis is None else x.movedim(axis, -1)
    n = moved.shape[-1]
    rows = moved.unsqueeze(-2).expand(*moved.shape[:-1], n, n)
    eye = np.eye(n, dtype=bool)
    others = Where.apply(const(1.0, grad), rows, condition=eye).prod(-1)
    others = others.reshape(x.shape) if axis is None else others.movedim(-1, axis)
    return upstream * others


@rule(Triangle)
def _triangle(ctx, out, grad):
    return Triangle.apply(grad, upper=ctx.upper, diagonal=ctx.diagonal)
