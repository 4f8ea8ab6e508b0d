"""Batch and layer normalization: standardise, then scale by weight and shift by bias."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, fail_dtype, fail_shape, shape_str
from ..autograd.function import Function
from ..cpugraph.capture import record_call
from ..errors import ArgumentError, ShapeError


class Normalize(Function):
    """y = w x_hat + b, x_hat = (x - mean) / sqrt(var + eps) over ``axes``.

    With batch statistics, dL/dx = (inv_std / M) (M g' - sum g' - x_hat sum(g' x_hat)),
    g' = g w; with fixed statistics (eval mode) dL/dx = g w inv_std.
    ``param_shape`` is how weight and bias broadcast over x.
    """

    @staticmethod
    def forward(
        ctx,
        x,
        weight=None,
        bias=None,
        *,
        axes,
        eps,
        fixed_mean=None,
        fixed_var=None,
        param_shape=None,
    ):
        if fixed_mean is None:
            if x.size == 0:  # LayerNorm(0): empty in, empty out, as torch (NumPy would warn)
                kept = [1 if a in axes else n for a, n in enumerate(x.shape)]
                mean = var = np.zeros(kept, x.dtype)
            else:
                with np.errstate(over="ignore", invalid="ignore"):
                    mean = x.mean(axis=axes, keepdims=True)
                    var = x.var(axis=axes, keepdims=True)
            if np.isfinite(var).all():
                inv_std = 1.0 / np.sqrt(var + eps)
                x_hat = (x - mean) * inv_std
            else:
                x_hat, inv_std = _standardize_scaled(x, axes, eps)
        else:
            inv_std = 1.0 / np.sqrt(fixed_var + eps)
            x_hat = (x - fixed_mean) * inv_std
        y = x_hat
        if weight is not None:
            y = y * weight.reshape(param_shape)
        if bias is not None:
            y = y + bias.reshape(param_shape)
        count = int(np.prod([x.shape[a] for a in axes]))
        ctx.save(
            x_hat=x_hat,
            inv_std=inv_std,
            weight=weight,
            axes=axes,
            count=count,
            fixed=fixed_mean is not None,
            param_shape=param_shape,
        )
        return y.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_y):
        x_hat, axes, shape = ctx.x_hat, ctx.axes, ctx.param_shape
        g = grad_y if ctx.weight is None else grad_y * ctx.weight.reshape(shape)
        param_axes = tuple(i for i, n in enumerate(shape or ()) if n == 1)
        grad_x = None
        if ctx.needs_input_grad[0]:
            if ctx.fixed:
                grad_x = g * ctx.inv_std
            else:
                m = ctx.count
                sum_g = g.sum(axis=axes, keepdims=True)
                sum_gx = (g * x_hat).sum(axis=axes, keepdims=True)
                grad_x = (ctx.inv_std / m) * (m * g - sum_g - x_hat * sum_gx)
        grads = [grad_x]
        needs = ctx.needs_input_grad
        if ctx.weight is not None:
            grads.append(
                (grad_y * x_hat).sum(axis=param_axes).reshape(ctx.weight.shape)
                if needs[1]
                else None
            )
        if len(needs) > len(grads):  # a bias is the last input
            grads.append(
                grad_y.sum(axis=param_axes).reshape(-1 if ctx.weight is None else ctx.weight.shape)
                if needs[len(grads)]
                else None
            )
        return tuple(grads)


def _standardize_scaled(x, axes, eps):
    """x_hat and 1/std for inputs whose squares overflow (|x| near 1e308): divide by the largest
    |x| first, so the variance is computed on values <= 1. Inputs that hold inf or NaN still give
    NaN, as in torch."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        scale = np.abs(x).max(axis=axes, keepdims=True, initial=0)  # 0 for an empty axis
        scale = np.where(scale > 0, scale, 1).astype(x.dtype, copy=False)
        scaled = x / scale
        mean = scaled.mean(axis=axes, keepdims=True)
        std = np.sqrt(scaled.var(axis=axes, keepdims=True) + eps / (scale * scale))
        x_hat = (scaled - mean) / std
        inv_std = 1.0 / (std * scale)
    return x_hat.astype(x.dtype, copy=False), inv_std.astype(x.dtype, copy=False)


def batch_norm(
    x: Any,
    running_mean: Any,
    running_var: Any,
    weight: Any = None,
    bias: Any = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
):
    """Normalise each feature over the batch (and length) axes; updates running stats in place."""
    check_tensor("batch_norm", x)
    # Tensors (torch's form) or arrays: the in-place update needs the memory behind them
    running_mean = getattr(running_mean, "_data", running_mean)
    running_var = getattr(running_var, "_data", running_var)
    if x.ndim not in (2, 3, 4):
        raise ShapeError(
            f"batch_norm: expected inputs of shape (N, C), (N, C, L) or (N, C, H, W), got "
            f"{shape_str(x.shape)}."
        )
    # One formula for BatchNorm1d and BatchNorm2d: statistics over every axis but the channel.
    axes = (0,) + tuple(range(2, x.ndim))
    param_shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    for name, stat in (("running_mean", running_mean), ("running_var", running_var)):
        if stat is not None and np.size(stat) != x.shape[1]:  # before the in-place update
            fail_shape("batch_norm", f"{name} with {x.shape[1]} elements (one per channel)",
                       f"{np.size(stat)}")  # fmt: skip
    if training:
        count = int(np.prod([x.shape[a] for a in axes]))
        if count < 2:
            raise ArgumentError(
                f"batch_norm: expected more than 1 value per channel when training, got input of "
                f"shape {shape_str(x.shape)}.\nHint: use a batch of at least 2, or call model.eval()."
            )
        out = _normalize(x, weight, bias, axes, eps, None, None, param_shape)
        if running_mean is not None:
            record_call(_update_running, x._data, axes, count, running_mean, running_var, momentum)
        return out
    if running_mean is None:
        return _normalize(x, weight, bias, axes, eps, None, None, param_shape)
    return _normalize(
        x,
        weight,
        bias,
        axes,
        eps,
        running_mean.reshape(param_shape),
        running_var.reshape(param_shape),
        param_shape,
    )


def _update_running(data, axes, count, running_mean, running_var, momentum):
    """running = (1 - momentum) running + momentum batch statistic, in place (replayed by a CPUGraph).

    ``momentum`` may be the module's batch counter instead of a number (torch's momentum=None):
    then the factor is 1 / batches seen so far, read at each call, a plain average of them all."""
    if isinstance(momentum, np.ndarray):
        momentum = 1.0 / float(momentum)
    mean = data.mean(axis=axes)
    unbiased = data.var(axis=axes) * (count / (count - 1))
    running_mean *= 1 - momentum
    running_mean += momentum * mean
    running_var *= 1 - momentum
    running_var += momentum * unbiased


def layer_norm(
    x: Any,
    normalized_shape: tuple[int, ...],
    weight: Any = None,
    bias: Any = None,
    eps: float = 1e-5,
):
    """Normalise over the last len(normalized_shape) axes of each sample."""
    check_tensor("layer_norm", x)
    if x.dtype.kind != "f":  # torch refuses; NumPy would normalise in float64 behind our back
        fail_dtype(
            "layer_norm", "a floating-point input", f"dtype {x.dtype}", "convert it: x.float()."
        )
    k = len(normalized_shape)
    if tuple(x.shape[x.ndim - k :]) != tuple(normalized_shape):
        raise ShapeError(
            f"layer_norm: expected inputs ending in {shape_str(tuple(normalized_shape))}, got "
            f"{shape_str(x.shape)}."
        )
    axes = tuple(range(x.ndim - k, x.ndim))
    param_shape = (1,) * (x.ndim - k) + tuple(normalized_shape)
    return _normalize(x, weight, bias, axes, eps, None, None, param_shape)


def _normalize(x, weight, bias, axes, eps, mean, var, param_shape):
    args = [x] + [p for p in (weight, bias) if p is not None]
    if weight is None and bias is not None:
        raise ArgumentError(
            "normalize: a bias without a weight is not supported; pass both or neither."
        )
    return Normalize.apply(
        *args, axes=axes, eps=eps, fixed_mean=mean, fixed_var=var, param_shape=param_shape
    )
