"""torch.nn.utils.fusion: fold an eval-mode BatchNorm into the conv or linear layer before it.

In eval mode BatchNorm is the affine map y = (x - mean) / sqrt(var + eps) * w + b, fixed per
channel, so it merges with the layer before: each output channel's weights scale by
w / sqrt(var + eps) and its bias becomes (bias - mean) w / sqrt(var + eps) + b. Inference then
runs one layer where it ran two.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from ...errors import ArgumentAssertionError
from ..parameter import Parameter


def _array(value: Any) -> np.ndarray | None:
    return None if value is None else value.detach()._data


def _check_eval(layer: Any, bn: Any) -> None:
    if layer.training or bn.training:
        raise ArgumentAssertionError(
            "fuse: expected the layer and the batch norm in eval mode, got training mode.\n"
            "Hint: call model.eval() first: fusion only holds for the running statistics."
        )
    if bn.running_mean is None or bn.running_var is None:
        raise ArgumentAssertionError(
            "fuse: expected a batch norm with running statistics, got track_running_stats=False."
        )


def fuse_conv_bn_weights(
    conv_w: Any,
    conv_b: Any,
    bn_rm: Any,
    bn_rv: Any,
    bn_eps: float,
    bn_w: Any,
    bn_b: Any,
    transpose: bool = False,
) -> tuple[Parameter, Parameter]:
    """The fused (weight, bias) as Parameters; ``transpose`` for ConvTranspose, whose output
    channels are the weight's second axis."""
    weight, mean = _array(conv_w), _array(bn_rm)
    bias = _array(conv_b) if conv_b is not None else np.zeros_like(mean)
    gamma = _array(bn_w) if bn_w is not None else np.ones_like(mean)
    beta = _array(bn_b) if bn_b is not None else np.zeros_like(mean)
    rsqrt = 1.0 / np.sqrt(_array(bn_rv) + bn_eps)
    shape = ([1, -1] if transpose else [-1, 1]) + [1] * (weight.ndim - 2)
    fused_w = (weight * (gamma * rsqrt).reshape(shape)).astype(weight.dtype)
    bias_dtype = bias.dtype if conv_b is not None else weight.dtype
    fused_b = ((bias - mean) * rsqrt * gamma + beta).astype(bias_dtype)
    grad_b = conv_b.requires_grad if conv_b is not None else False
    return Parameter(fused_w, conv_w.requires_grad), Parameter(fused_b, grad_b)


def fuse_conv_bn_eval(conv: Any, bn: Any, transpose: bool = False) -> Any:
    """A copy of ``conv`` that computes bn(conv(x)) of the eval-mode pair."""
    _check_eval(conv, bn)
    fused = copy.deepcopy(conv)
    fused.weight, fused.bias = fuse_conv_bn_weights(
        fused.weight, fused.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias,
        transpose,
    )  # fmt: skip
    return fused


def fuse_linear_bn_weights(
    linear_w: Any, linear_b: Any, bn_rm: Any, bn_rv: Any, bn_eps: float, bn_w: Any, bn_b: Any
) -> tuple[Parameter, Parameter]:
    """The fused (weight, bias) of a Linear followed by BatchNorm1d, as Parameters."""
    weight, mean = _array(linear_w), _array(bn_rm)
    bias = _array(linear_b) if linear_b is not None else np.zeros_like(mean)
    scale = _array(bn_w) / np.sqrt(_array(bn_rv) + bn_eps)
    fused_w = weight * scale[:, None].astype(weight.dtype)
    bias_dtype = bias.dtype if linear_b is not None else weight.dtype
    fused_b = ((bias - mean) * scale + _array(bn_b)).astype(bias_dtype)
    grad_b = linear_b.requires_grad if linear_b is not None else False
    return Parameter(fused_w, linear_w.requires_grad), Parameter(fused_b, grad_b)


def fuse_linear_bn_eval(linear: Any, bn: Any) -> Any:
    """A copy of ``linear`` that computes bn(linear(x)) of the eval-mode pair."""
    _check_eval(linear, bn)
    if linear.out_features != bn.num_features and bn.num_features != 1:
        raise ArgumentAssertionError(
            f"fuse_linear_bn_eval: expected linear.out_features == bn.num_features or "
            f"bn.num_features == 1, got {linear.out_features} and {bn.num_features}."
        )
    fused = copy.deepcopy(linear)
    fused.weight, fused.bias = fuse_linear_bn_weights(
        fused.weight, fused.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias
    )
    return fused
