"""torch.nn.functional's rarer activations: prelu, rrelu, selu, celu, hardswish, hardsigmoid,
hardshrink, softshrink, tanhshrink, threshold, glu, softmin, and the in-place ``*_`` forms.

The piecewise ones are Functions, because torch's gradient at each kink is a convention
(hardswish's slope at x = 3 is 1.5, threshold's at x = threshold is 0) that a composition of
clamps would not reproduce; the rest compose existing ops exactly.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._checks import (
    check_dim,
    check_number,
    check_tensor,
    fail_shape,
    fail_value,
    message,
    shape_str,
)
from ..autograd.function import Function
from ..errors import NoKernelError
from ..cpugraph.capture import record_call
from ..random import as_generator
from .activation import _maybe_in_place, elu, leaky_relu, relu, sigmoid, softmax, tanh
from .activation_composed import hardtanh

# SELU's constants (Klambauer et al. 2017), to torch's digits
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


class ScaledELU(Function):
    """y = scale x for x > 0, else scale alpha (e^(x input_scale) - 1): SELU and CELU in one.

    dy/dx = scale, or scale alpha input_scale e^(x input_scale) on the negative side.
    """

    @staticmethod
    def forward(ctx, x, alpha, scale, input_scale):
        positive = ~(x <= 0)  # NaN passes its gradient, as in torch
        scaled = np.minimum(x, 0) * input_scale
        e = np.exp(scaled)
        y = np.where(positive, x * scale, (scale * alpha) * np.expm1(scaled))
        ctx.save(positive=positive, e=e, slope=scale * alpha * input_scale, scale=scale)
        return y.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        grad = np.where(ctx.positive, grad_y * ctx.scale, grad_y * ctx.slope * ctx.e)
        return grad.astype(grad_y.dtype, copy=False)


class PReLU(Function):
    """y = x for x > 0, else a_c x with one learned slope per channel (axis 1).

    dL/dx = g or a_c g; dL/da_c = sum of g x over the negative entries of channel c.
    """

    @staticmethod
    def forward(ctx, x, weight):
        shape = (1, weight.size) + (1,) * (x.ndim - 2) if x.ndim >= 2 else weight.shape
        slope = weight.reshape(shape) if weight.size > 1 else weight.reshape(())
        positive = x > 0
        ctx.save(x=x, slope=slope, positive=positive, weight_shape=weight.shape)
        return np.where(positive, x, x * slope)

    @staticmethod
    def backward(ctx, grad_y):
        grad_x = np.where(ctx.positive, grad_y, grad_y * ctx.slope)
        contribution = np.where(ctx.positive, 0, grad_y * ctx.x).astype(grad_y.dtype, copy=False)
        if ctx.slope.ndim == 0:
            grad_w = contribution.sum().reshape(ctx.weight_shape)
        else:
            axes = tuple(a for a in range(contribution.ndim) if a != min(1, contribution.ndim - 1))
            grad_w = contribution.sum(axis=axes).reshape(ctx.weight_shape)
        return grad_x, grad_w


class Noisy(Function):
    """RReLU while training: y = x r with r ~ U(lower, upper) drawn per element where x <= 0,
    r = 1 elsewhere; dy/dx = r, the same draw."""

    @staticmethod
    def forward(ctx, x, slopes):
        noise = np.where(x <= 0, slopes, np.ones((), x.dtype))
        ctx.save(noise=noise)
        return x * noise

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * ctx.noise


class Shrink(Function):
    """hardshrink, softshrink and threshold: y = value on [low, high], else x moved ``shrink``
    towards 0; dy/dx = 1 off that interval, 0 on it (torch's convention at its ends)."""

    @staticmethod
    def forward(ctx, x, low, high, shrink, value):
        keep = ~((x >= low) & (x <= high))  # NaN is kept, as in torch
        moved = x - np.copysign(shrink, x) if shrink else x
        ctx.save(keep=keep)
        return np.where(keep, moved, np.asarray(value, x.dtype)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        return np.where(ctx.keep, grad_y, np.zeros((), grad_y.dtype))


class Hardswish(Function):
    """y = x relu6(x + 3) / 6; dy/dx = 0 up to -3 (inclusive), x/3 + 1/2 below 3, 1 from 3 on."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return (x * np.clip(x + 3, 0, 6) / 6).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        x = ctx.x
        slope = np.where(x <= -3, 0.0, np.where(x < 3, x / 3 + 0.5, 1.0))
        return (grad_y * slope).astype(grad_y.dtype, copy=False)


class Hardsigmoid(Function):
    """y = clamp(x / 6 + 1/2, 0, 1); dy/dx = 1/6 strictly inside (-3, 3), else 0."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(inside=(x > -3) & (x < 3))
        return np.clip(x / 6 + 0.5, 0, 1).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        return np.where(ctx.inside, grad_y / 6, 0).astype(grad_y.dtype, copy=False)


def _float(who: str, x: Any) -> None:
    check_tensor(who, x)
    if x.dtype.kind != "f":
        text = message(
            who, "a floating-point input", f"dtype {x.dtype}", "convert first: x.float()."
        )
        raise NoKernelError(text)  # torch has no integer kernel for these either


def selu(input: Any, inplace: bool = False):  # noqa: A002
    """y = scale * elu(x, alpha) with SELU's fixed constants (self-normalising networks)."""
    _float("selu", input)
    op = lambda t: ScaledELU.apply(t, alpha=SELU_ALPHA, scale=SELU_SCALE, input_scale=1.0)  # noqa: E731
    return _maybe_in_place(input, inplace, "selu", op)


def celu(input: Any, alpha: float = 1.0, inplace: bool = False):  # noqa: A002
    """y = max(0, x) + min(0, alpha (e^(x / alpha) - 1)): ELU made continuously differentiable."""
    _float("celu", input)
    check_number("celu", "alpha", alpha)
    if alpha == 0:
        fail_value("celu", "alpha != 0", repr(alpha), "CELU divides by alpha.")
    op = lambda t: ScaledELU.apply(t, alpha=alpha, scale=1.0, input_scale=1.0 / alpha)  # noqa: E731
    return _maybe_in_place(input, inplace, "celu", op)


def prelu(input: Any, weight: Any):  # noqa: A002
    """y = max(0, x) + a min(0, x), a one learned slope (or one per channel, axis 1)."""
    _float("prelu", input)
    check_tensor("prelu", weight, "weight")
    channels = input.shape[1] if input.ndim >= 2 else 1
    if weight.numel() != 1 and weight.numel() != channels:
        fail_shape(
            "prelu",
            f"1 or {channels} slopes (the input's channels, axis 1)",
            f"weight of shape {shape_str(tuple(weight.shape))}",
        )
    return PReLU.apply(input, weight)


def rrelu(
    input: Any,  # noqa: A002
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    inplace: bool = False,
    generator: Any = None,
):
    """Leaky ReLU with a random slope from U(lower, upper) while training, (lower + upper) / 2
    otherwise. ``generator`` (chainrule only): where the slopes come from (default: manual_seed's)."""
    _float("rrelu", input)
    if lower > upper:
        fail_value("rrelu", "lower <= upper", f"lower={lower}, upper={upper}")
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    rng = as_generator(generator)
    slopes = record_call(_slopes, rng, tuple(input.shape), lower, upper, input.dtype)
    return _maybe_in_place(input, inplace, "rrelu", lambda t: Noisy.apply(t, slopes=slopes))


def _slopes(rng: Any, shape: tuple[int, ...], lower: float, upper: float, dtype: Any) -> Any:
    """A draw for every element (used where x <= 0); a CPUGraph replay draws afresh."""
    return rng.uniform(lower, upper, shape).astype(dtype)


def hardswish(input: Any, inplace: bool = False):  # noqa: A002
    _float("hardswish", input)
    return _maybe_in_place(input, inplace, "hardswish", Hardswish.apply)


def hardsigmoid(input: Any, inplace: bool = False):  # noqa: A002
    _float("hardsigmoid", input)
    return _maybe_in_place(input, inplace, "hardsigmoid", Hardsigmoid.apply)


def _lambd(who: str, lambd: float) -> None:
    check_number(who, "lambd", lambd)
    if not lambd >= 0:  # torch refuses a negative (and a NaN) threshold
        fail_value(who, "lambd >= 0", repr(lambd))


def hardshrink(input: Any, lambd: float = 0.5):  # noqa: A002
    """y = x where |x| > lambd, else 0."""
    _float("hardshrink", input)
    check_number("hardshrink", "lambd", lambd)
    return Shrink.apply(input, low=-lambd, high=lambd, shrink=0.0, value=0.0)


def softshrink(input: Any, lambd: float = 0.5):  # noqa: A002
    """y = x - lambd above lambd, x + lambd below -lambd, 0 between (the lasso's proximal map)."""
    _float("softshrink", input)
    _lambd("softshrink", lambd)
    return Shrink.apply(input, low=-lambd, high=lambd, shrink=lambd, value=0.0)


def tanhshrink(input: Any):  # noqa: A002
    """y = x - tanh(x)."""
    _float("tanhshrink", input)
    return input - tanh(input)


def threshold(input: Any, threshold: float, value: float, inplace: bool = False):  # noqa: A002
    """y = x where x > threshold, else value."""
    _float("threshold", input)
    check_number("threshold", "threshold", threshold)
    check_number("threshold", "value", value)
    op = lambda t: Shrink.apply(t, low=-np.inf, high=threshold, shrink=0.0, value=value)  # noqa: E731
    return _maybe_in_place(input, inplace, "threshold", op)


_threshold = threshold  # threshold_'s argument of the same name hides the function


def glu(input: Any, dim: int = -1):  # noqa: A002
    """Gated linear unit: split x in halves a, b along dim; y = a * sigmoid(b)."""
    _float("glu", input)
    if input.ndim == 0:
        fail_shape("glu", "an input with at least one dimension", "a 0-d tensor")
    axis = check_dim("glu", dim, input.ndim, tuple(input.shape))
    if input.shape[axis] % 2:
        fail_shape(
            f"glu(dim={dim})",
            "an even size along dim to halve",
            f"size {input.shape[axis]} in {shape_str(tuple(input.shape))}",
        )
    a, b = input.chunk(2, axis)
    return a * sigmoid(b)


def legacy_softmax_dim(who: str, ndim: int) -> int:
    """torch's choice when dim is None (deprecated there, with the same warning)."""
    warnings.warn(
        f"Implicit dimension choice for {who} has been deprecated. "
        "Change the call to include dim=X as an argument.",
        UserWarning,
        stacklevel=3,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmin(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None):  # noqa: A002
    """y = softmax(-x) along dim: the small entries get the weight."""
    check_tensor("softmin", input)
    if dim is None:
        dim = legacy_softmax_dim("softmin", input.ndim)
    x = input if dtype is None else input.to(dtype)
    return softmax(-x, dim)


def relu_(input: Any):  # noqa: A002
    return relu(input, inplace=True)


def elu_(input: Any, alpha: float = 1.0):  # noqa: A002
    return elu(input, alpha, inplace=True)


def leaky_relu_(input: Any, negative_slope: float = 0.01):  # noqa: A002
    return leaky_relu(input, negative_slope, inplace=True)


def hardtanh_(input: Any, min_val: float = -1.0, max_val: float = 1.0):  # noqa: A002
    return hardtanh(input, min_val, max_val, inplace=True)


def selu_(input: Any):  # noqa: A002
    return selu(input, inplace=True)


def celu_(input: Any, alpha: float = 1.0):  # noqa: A002
    return celu(input, alpha, inplace=True)


def threshold_(input: Any, threshold: float, value: float):  # noqa: A002
    return _threshold(input, threshold, value, inplace=True)


def rrelu_(
    input: Any,  # noqa: A002
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    generator: Any = None,
):
    return rrelu(input, lower, upper, training, inplace=True, generator=generator)
