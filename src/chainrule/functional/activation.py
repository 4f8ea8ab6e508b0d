"""Activation functions: sigmoid, tanh, the ReLU family, GELU, softplus, softmax, log-softmax."""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np

from .._checks import check_number, check_tensor, message
from ..autograd.function import NO_CONFIG, Function, _apply
from ..cpugraph.backward import fresh

from ._erf import erf as _erf
from ..errors import ArgumentError, NoKernelError
from ..zero_operand import ZERO, zeros_for


# exp(-x) -> inf gives sigmoid's right limit, 0, so that overflow is no warning. Wrapping np.exp
# once costs half of entering `with np.errstate(...)` on each call (0.6 of 1.3 us: a tenth of
# W2's CPUGraph overhead); a clamp or a mask instead would be one more pass, dearer still.
_exp_overflow_quiet = np.errstate(over="ignore")(np.exp)


def sigmoid_array(x: np.ndarray, into: np.ndarray | None = None) -> np.ndarray:
    """1 / (1 + exp(-x)) on an ndarray: the one copy of the formula, shared with the fused losses.

    Each step writes over the previous one's array: one array for four passes (into, if given;
    ``out=...`` keeps a 0-d result an array, so the passes after it can write into it).
    """
    y = np.negative(x, out=... if into is None else into)
    _exp_overflow_quiet(y, out=y)
    y += 1.0
    return np.divide(1.0, y, out=y)


def log_softmax_array(x: np.ndarray, dim: int) -> np.ndarray:
    """x - log sum e^x along dim, shifted by the max so it never overflows; shared with cross-entropy."""
    # the ufuncs' reduce is what .max() and .sum() call, less their Python layer (1 us a step)
    shifted = x - np.maximum.reduce(x, axis=dim, keepdims=True)
    shifted -= np.log(np.add.reduce(np.exp(shifted), axis=dim, keepdims=True))  # ours to reuse
    return shifted


class Sigmoid(Function):
    """y = 1 / (1 + exp(-x)); dy/dx = y (1 - y), reusing the forward result as the notebook does.

    ``into``: the array a CPUGraph replay wants y written to (eager calls get a new one).
    """

    saves_output = True  # backward reads y: overwriting it in place is caught

    @staticmethod
    def forward(ctx, x, into=None):
        ctx.y = y = sigmoid_array(x, into)  # not ctx.save: see arithmetic.Add
        return y

    @staticmethod
    def backward(ctx, grad_y):
        y = ctx.y
        return grad_y * y * (1.0 - y)

    @staticmethod
    def replay_calls(ctx, arrays, config, out):
        one = np.asarray(1.0, out.dtype)  # what NumPy makes of the Python 1.0 above
        return [
            partial(np.negative, arrays[0], out=out),
            partial(_exp_overflow_quiet, out, out=out),
            partial(np.add, out, one, out=out),
            partial(np.divide, one, out, out=out),
        ]

    @staticmethod
    def replay_backward(ctx, grad_y, grads):
        y, out = ctx.y, fresh(grads[0])
        scaled, rest = np.empty_like(out), np.empty_like(y)
        return [
            partial(np.multiply, grad_y, y, out=scaled),
            partial(np.subtract, np.asarray(1.0, y.dtype), y, out=rest),
            partial(np.multiply, scaled, rest, out=out),
        ], [out]


class Tanh(Function):
    """y = tanh x; dy/dx = 1 - y^2."""

    saves_output = True  # backward reads y: overwriting it in place is caught

    @staticmethod
    def forward(ctx, x):
        y = np.tanh(x)
        ctx.save(y=y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * (1.0 - ctx.y * ctx.y)


class ReLU(Function):
    """y = max(x, 0); dy/dx = 1 where x > 0, else 0. ``into`` as in Sigmoid."""

    integer_ok = True  # relu of an int64 tensor is int64 in torch
    saves_output = True  # backward reads y: overwriting it in place is caught

    @staticmethod
    def forward(ctx, x, into=None):
        # full zeros, not 0: NumPy's SIMD loop, the same bits (zero_operand.py)
        ctx.y = y = np.maximum(x, zeros_for(x), out=into)  # not ctx.save: see arithmetic.Add
        return y

    @staticmethod
    def backward(ctx, grad_y):
        # y = max(x, 0) is never negative, so y != 0 is x > 0, and NaN != 0 lets NaN pass, as
        # in torch; a product, since np.where costs 2.5x as much on this hot path (bench W3)
        y = ctx.y
        return grad_y * (y != ZERO.get(y.dtype, 0))

    @staticmethod
    def replay_calls(ctx, arrays, config, out):
        zeros = zeros_for(out)
        zero = np.asarray(0, out.dtype) if type(zeros) is int else zeros
        return [partial(np.maximum, arrays[0], zero, out=out)]

    @staticmethod
    def replay_backward(ctx, grad_y, grads):
        y, out = ctx.y, fresh(grads[0])
        kept = np.empty(y.shape, bool)
        return [
            partial(np.not_equal, y, np.asarray(0, y.dtype), out=kept),
            partial(np.multiply, grad_y, kept, out=out),
        ], [out]


class LeakyReLU(Function):
    """y = x for x > 0, else slope * x; dy/dx = 1 or slope."""

    @staticmethod
    def forward(ctx, x, negative_slope):
        positive = x > 0
        ctx.save(positive=positive, slope=negative_slope)
        return np.where(positive, x, x * negative_slope)

    @staticmethod
    def backward(ctx, grad_y):
        return np.where(ctx.positive, grad_y, grad_y * ctx.slope)


class ELU(Function):
    """y = x for x > 0, else alpha (e^x - 1); dy/dx = 1 or alpha (e^x - 1) + alpha."""

    @staticmethod
    def forward(ctx, x, alpha):
        positive = ~(x <= 0)  # NaN counts as positive, so its gradient passes as in torch
        negative = alpha * np.expm1(np.minimum(x, 0))
        # the negative branch, not y, is kept: torch lets y be changed in place
        # (elu(x).mul_(2)), since its ELU saves x
        ctx.save(positive=positive, negative=negative, alpha=alpha)
        return np.where(positive, x, negative)

    @staticmethod
    def backward(ctx, grad_y):
        return np.where(ctx.positive, grad_y, grad_y * (ctx.negative + ctx.alpha))


class GELU(Function):
    """y = x Phi(x) (exact, with erf) or its tanh approximation, as torch's GELU(approximate=...)."""

    @staticmethod
    def forward(ctx, x, approximate):
        if approximate == "tanh":
            k = math.sqrt(2.0 / math.pi)
            inner = k * (x + 0.044715 * x**3)
            t = np.tanh(inner)
            ctx.save(x=x, t=t, k=k, approximate=approximate)
            return 0.5 * x * (1.0 + t)
        # Phi in float64, rounded once: float32 1 + erf(x) would cancel away digits for x << 0
        cdf = 0.5 * (1.0 + _erf(x.astype(np.float64) * (1.0 / math.sqrt(2.0))))
        cdf = cdf.astype(x.dtype, copy=False)
        ctx.save(x=x, cdf=cdf, approximate=approximate)
        return x * cdf

    @staticmethod
    def backward(ctx, grad_y):
        x = ctx.x
        if ctx.approximate == "tanh":
            t, k = ctx.t, ctx.k
            d_inner = k * (1.0 + 3 * 0.044715 * x * x)
            return grad_y * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * d_inner)
        pdf = np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
        return grad_y * (ctx.cdf + x * pdf)


class Softplus(Function):
    """y = log(1 + e^(beta x)) / beta, linear above the threshold; dy/dx = sigmoid(beta x)."""

    @staticmethod
    def forward(ctx, x, beta, threshold):
        bx = beta * x
        linear = bx > threshold
        y = np.where(linear, x, np.logaddexp(0, bx) / beta)
        ctx.save(bx=bx, linear=linear)
        return y.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        slope = sigmoid_array(ctx.bx)
        return grad_y * np.where(ctx.linear, 1.0, slope).astype(grad_y.dtype, copy=False)


class Softmax(Function):
    """y_i = e^(x_i) / sum_j e^(x_j); dL/dx = y (g - sum(g y))."""

    saves_output = True  # backward reads y: overwriting it in place is caught

    @staticmethod
    def forward(ctx, x, dim):
        if x.size == 0:  # nothing to normalise; torch returns the empty tensor
            ctx.save(y=x, dim=dim)
            return x.copy()
        shifted = x - x.max(axis=dim, keepdims=True)
        e = np.exp(shifted)
        y = e / e.sum(axis=dim, keepdims=True)
        ctx.save(y=y, dim=dim)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        y = ctx.y
        return y * (grad_y - (grad_y * y).sum(axis=ctx.dim, keepdims=True))


class LogSoftmax(Function):
    """y_i = x_i - log sum_j e^(x_j), computed shifted so it never overflows; dL/dx = g - e^y sum(g)."""

    saves_output = True  # backward reads y: overwriting it in place is caught

    @staticmethod
    def forward(ctx, x, dim):
        if x.size == 0:
            ctx.save(y=x, dim=dim)
            return x.copy()
        y = log_softmax_array(x, dim)
        ctx.save(y=y, dim=dim)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y - np.exp(ctx.y) * grad_y.sum(axis=ctx.dim, keepdims=True)


def sigmoid(x: Any):
    check_tensor("sigmoid", x)
    return Sigmoid.apply(x)


def tanh(x: Any):
    check_tensor("tanh", x)
    return Tanh.apply(x)


def relu(x: Any, inplace: bool = False):
    check_tensor("relu", x)
    if x.dtype.kind == "b":  # torch: "Boolean inputs not supported for relu"
        raise NoKernelError(
            message("relu", "numbers (torch has no bool kernel for it)", "a bool tensor")
        )
    if not inplace:  # the common case without building the lambda (every hidden layer, each step)
        return _apply(ReLU, (x,), NO_CONFIG)  # (ReLU.apply less its classmethod packing)
    return _maybe_in_place(x, inplace, "relu", ReLU.apply)


def leaky_relu(x: Any, negative_slope: float = 0.01, inplace: bool = False):
    check_tensor("leaky_relu", x)
    check_number("leaky_relu", "negative_slope", negative_slope)
    return _maybe_in_place(
        x, inplace, "leaky_relu", lambda t: LeakyReLU.apply(t, negative_slope=negative_slope)
    )


def elu(x: Any, alpha: float = 1.0, inplace: bool = False):
    check_tensor("elu", x)
    return _maybe_in_place(x, inplace, "elu", lambda t: ELU.apply(t, alpha=alpha))


def _maybe_in_place(x: Any, inplace: bool, who: str, op: Any):
    """torch's ``inplace=True``: the result is written into x (and recorded, as x.relu_())."""
    if not inplace:
        return op(x)
    from ..autograd.inplace import modify

    return modify(x, f"{who}(inplace=True)", op)


def gelu(x: Any, approximate: str = "none"):
    check_tensor("gelu", x)
    if approximate not in ("none", "tanh"):
        raise ArgumentError(f"gelu: expected approximate='none' or 'tanh', got {approximate!r}.")
    return GELU.apply(x, approximate=approximate)


def softplus(x: Any, beta: float = 1.0, threshold: float = 20.0):
    check_tensor("softplus", x)
    return Softplus.apply(x, beta=beta, threshold=threshold)


def _dim(who: str, x: Any, dim: int) -> int:
    from .reduction import _axes

    return _axes(who, x.shape, dim)[0]


def _check_float(who: str, x: Any) -> None:
    """torch has no integer softmax kernel; NumPy would quietly return float64 probabilities."""
    if x.dtype.kind != "f":  # torch's NotImplementedError: "softmax_lastdim_kernel_impl" for Long
        hint = "convert first: x.float()."
        raise NoKernelError(message(who, "a floating-point input", f"dtype {x.dtype}", hint))


def softmax(x: Any, dim: int = -1, dtype: Any = None):
    """``dtype``: torch's, the input cast to it first (a float16 model's softmax in float32)."""
    check_tensor("softmax", x)
    x = x if dtype is None else x.to(dtype)
    _check_float("softmax", x)
    return Softmax.apply(x, dim=_dim("softmax", x, dim))


def log_softmax(x: Any, dim: int = -1, dtype: Any = None):
    check_tensor("log_softmax", x)
    x = x if dtype is None else x.to(dtype)
    _check_float("log_softmax", x)
    return LogSoftmax.apply(x, dim=_dim("log_softmax", x, dim))
