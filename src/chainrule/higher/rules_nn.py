"""create_graph rules for activations, matrix products and losses: each op's ndarray backward
written again with Tensor ops on its inputs and output (see rules.py)."""

from __future__ import annotations

import math

import numpy as np

from ..autograd.tensor import Tensor
from ..functional.activation import (
    ELU,
    GELU,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Tanh,
)
from ..functional.binary_loss import BCELoss, BCEWithLogitsLoss
from ..functional.classification_loss import CrossEntropyLoss, NLLLoss, _subtract_target
from ..functional.dropout import Dropout
from ..functional.elementwise import Clip
from ..functional.elementwise_math import Erf
from ..functional.linalg import MatMul
from ..functional.linear import Linear
from ..functional.normalization import Normalize
from ..functional.regression_loss import L1Loss, MSELoss
from ..functional.selection import Where
from ..functional.statistics import RootOfSpread
from .rules import const, down, operand, rule


# --- activations ---------------------------------------------------------------------------
@rule(Sigmoid)
def _sigmoid(ctx, out, grad):
    return grad * out * (1.0 - out)


@rule(Tanh)
def _tanh(ctx, out, grad):
    return grad * (1.0 - out * out)


@rule(ReLU, Dropout)
def _masked(ctx, out, grad):  # the mask (y != 0, or dropout's) is constant where it is smooth
    return grad * const(ctx.mask if type(ctx) is Dropout else ctx.y != 0, grad)


@rule(LeakyReLU)
def _leaky_relu(ctx, out, grad):
    return grad * const(np.where(ctx.positive, 1.0, ctx.slope), grad)


@rule(ELU)
def _elu(ctx, out, grad):
    # alpha e^x from the input (ELU saves x's branch, not y, which may have changed in place)
    x = ctx.inputs[0]
    return Where.apply(grad, grad * (x.exp() * ctx.alpha), condition=ctx.positive)


@rule(GELU)
def _gelu(ctx, out, grad):
    x = ctx.inputs[0]
    if ctx.approximate == "tanh":
        k, c = ctx.k, 0.044715
        t = Tanh.apply(x * k + x * x * x * (k * c))
        slope = (t + 1.0) * 0.5 + x * (1.0 - t * t) * (x * x * (3 * c * k) + k) * 0.5
        return grad * slope
    cdf = (Erf.apply(x * (1.0 / math.sqrt(2.0))) + 1.0) * 0.5
    pdf = (x * x * -0.5).exp() * (1.0 / math.sqrt(2.0 * math.pi))
    return grad * (cdf + x * pdf)


@rule(Softplus)
def _softplus(ctx, out, grad):
    x = ctx.inputs[0]
    # beta is read back from the saved beta * x at the largest |x| (all zeros: beta's value
    # does not matter for the slope, only for its derivative, and 1 is torch's default)
    i = int(np.argmax(np.abs(x._data))) if x._data.size else 0
    beta = (
        float(ctx.bx.reshape(-1)[i] / x._data.reshape(-1)[i])
        if x._data.size and x._data.reshape(-1)[i]
        else 1.0
    )
    slope = Sigmoid.apply(x * beta)
    return Where.apply(grad, grad * slope, condition=ctx.linear)


@rule(Softmax)
def _softmax(ctx, out, grad):
    return out * (grad - (grad * out).sum(dim=ctx.dim, keepdim=True))


@rule(LogSoftmax)
def _log_softmax(ctx, out, grad):
    return grad - out.exp() * grad.sum(dim=ctx.dim, keepdim=True)


@rule(RootOfSpread)
def _root(ctx, out, grad):  # 1 / (2 y), and 0 where y = 0, without a 0 / 0 on any order
    positive = ctx.y > 0
    safe = Where.apply(out * 2.0, const(1.0, grad), condition=positive)
    return Where.apply(grad / safe, const(0.0, grad), condition=positive)


# --- matrix products -----------------------------------------------------------------------
@rule(MatMul)
def _matmul(ctx, out, grad):
    a, b = operand(ctx, 0, ctx.a, grad), operand(ctx, 1, ctx.b, grad)
    a2 = a.unsqueeze(0) if a.ndim == 1 else a
    b2 = b.unsqueeze(1) if b.ndim == 1 else b
    grad2 = grad.unsqueeze(-1) if b.ndim == 1 else grad
    grad2 = grad2.unsqueeze(-2) if a.ndim == 1 else grad2
    need_a, need_b = ctx.needs_input_grad
    return (
        down(grad2 @ b2.transpose(-1, -2), tuple(a2.shape)).reshape(a.shape) if need_a else None,
        down(a2.transpose(-1, -2) @ grad2, tuple(b2.shape)).reshape(b.shape) if need_b else None,
    )


@rule(Linear)
def _linear(ctx, out, grad):
    x, weight = ctx.inputs[0], ctx.inputs[1]
    rows = grad.reshape(-1, grad.shape[-1])
    needs = ctx.needs_input_grad
    grad_x = (rows @ weight).reshape(*grad.shape[:-1], weight.shape[1]) if needs[0] else None
    grad_weight = rows.t() @ x.reshape(-1, x.shape[-1]) if needs[1] else None
    grad_bias = rows.sum(dim=0) if len(needs) > 2 and needs[2] else None
    return (grad_x, grad_weight, grad_bias)[: len(needs)]


# --- losses --------------------------------------------------------------------------------
def _upstream(grad: Tensor, scale: float | None) -> Tensor:
    """The loss's gradient per element: grad * scale for a reduced loss, else grad itself."""
    return grad if scale is None else grad * float(scale)


def _both_sides(ctx, grad_p: Tensor) -> tuple:
    need_p, need_t = ctx.needs_input_grad
    return (grad_p if need_p else None), (-grad_p if need_t else None)


@rule(MSELoss)
def _mse(ctx, out, grad):
    p, t = ctx.inputs
    # p - t again, or, for a target given as numbers, the saved difference with p's graph
    diff = p - t if t is not None else (p - p.detach()) + const(ctx.diff, grad)
    return _both_sides(ctx, diff * (_upstream(grad, ctx.scale) * 2.0))


@rule(L1Loss)
def _l1(ctx, out, grad):
    return _both_sides(ctx, const(ctx.sign, grad) * _upstream(grad, ctx.scale))


def _per_row(grad: Tensor, scale: float | None) -> Tensor:
    return grad * float(scale) if scale is not None else grad.unsqueeze(1)


@rule(NLLLoss)
def _nll(ctx, out, grad):  # linear in log_p: its gradient does not depend on it
    pattern = _subtract_target(np.zeros(ctx.shape, dtype=ctx.dtype), ctx.target)
    return const(pattern, grad) * _per_row(grad, ctx.scale), None


@rule(CrossEntropyLoss)
def _cross_entropy(ctx, out, grad):
    target = ctx.target
    p = Softmax.apply(ctx.inputs[0], dim=1)
    if target.ndim == 2:  # class probabilities or weighted one-hot rows
        p = p * const(target.sum(axis=1, keepdims=True), grad)
    picked = _subtract_target(np.zeros(p.shape, dtype=grad._data.dtype), target)
    return (p + const(picked, grad)) * _per_row(grad, ctx.scale), None


@rule(BCELoss)
def _bce(ctx, out, grad):
    p, t, eps = ctx.inputs[0], const(ctx.t, grad), ctx.epsilon
    if eps is None:
        slope = (p - t) / Clip.apply(p * (1.0 - p), low=1e-12, high=None)
    else:
        slope = -t / (p + eps) + (1.0 - t) / (1.0 - p + eps)
    slope = slope * _upstream(grad, ctx.scale)
    return (slope if ctx.weight is None else slope * const(ctx.weight, grad)), None


@rule(BCEWithLogitsLoss)
def _bce_with_logits(ctx, out, grad):
    s = Sigmoid.apply(ctx.inputs[0])
    t = const(ctx.t, grad)
    if ctx.pos_weight is None:
        slope = s - t
    else:
        slope = s * const(ctx.c, grad) - t * const(ctx.pos_weight, grad)
    slope = slope * _upstream(grad, ctx.scale)
    return (slope if ctx.weight is None else slope * const(ctx.weight, grad)), None


# --- normalization -------------------------------------------------------------------------
@rule(Normalize)
def _normalize(ctx, out, grad):  # layer_norm, and batch_norm / instance_norm and group_norm
    x, axes, shape, needs = ctx.inputs[0], ctx.axes, ctx.param_shape, ctx.needs_input_grad
    if ctx.fixed:  # eval-mode statistics are constants: x_hat is linear in x
        inv_std = const(ctx.inv_std, grad)
        x_hat = (x - x.detach()) * inv_std + const(ctx.x_hat, grad)
    else:
        centered = x - x.mean(dim=axes, keepdim=True)
        var = (centered * centered).mean(dim=axes, keepdim=True)
        # var + eps has the value 1 / inv_std^2 forward used (eps itself was not saved)
        inv_std = (var + const(ctx.inv_std**-2.0 - var._data, grad)) ** -0.5
        x_hat = centered * inv_std
    weight = ctx.inputs[1] if ctx.weight is not None else None
    g = grad if weight is None else grad * weight.reshape(shape)
    grads = [None]
    if needs[0] and ctx.fixed:
        grads[0] = g * inv_std
    elif needs[0]:
        m = float(ctx.count)
        sum_g, sum_gx = g.sum(dim=axes, keepdim=True), (g * x_hat).sum(dim=axes, keepdim=True)
        grads[0] = inv_std / m * (g * m - sum_g - x_hat * sum_gx)
    param_axes = tuple(i for i, n in enumerate(shape or ()) if n == 1)
    if weight is not None:
        grads.append((grad * x_hat).sum(dim=param_axes).reshape(weight.shape) if needs[1] else None)
        if len(needs) > 2:
            grads.append(grad.sum(dim=param_axes).reshape(weight.shape) if needs[2] else None)
    return tuple(grads)
