"""instance_norm: torch.nn.functional's form, with the running statistics the layers omit.

Normalising each (sample, channel) over its positions is group_norm with one group per channel,
so the gradient is group_norm's. The running statistics follow torch, which runs batch_norm on
the (1, N C, ...) view: each buffer moves towards the batch's average of the instances' means
and unbiased variances.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._checks import check_tensor, fail_shape, fail_value, shape_str
from ..cpugraph.capture import record_call
from .group_norm import group_norm


def instance_norm(
    input: Any,  # noqa: A002
    running_mean: Any = None,
    running_var: Any = None,
    weight: Any = None,
    bias: Any = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
):
    """y = (x - mean) / sqrt(var + eps) * weight + bias, mean and var over each (n, c)'s
    positions (or the running buffers, when use_input_stats=False). Input (N, C, *).

    >>> import chainrule as cr
    >>> x = cr.tensor([[[1.0, 3.0]]])
    >>> cr.functional.instance_norm(x).numpy().round(3)
    array([[[-1.,  1.]]], dtype=float32)
    """
    who = "instance_norm"
    check_tensor(who, input)
    if input.ndim < 3:
        fail_shape(who, "inputs of shape (N, C, *) with a position axis", shape_str(input.shape))
    c = input.shape[1]
    positions = math.prod(input.shape[2:])
    for name, given in (("running_mean", running_mean), ("running_var", running_var),
                        ("weight", weight), ("bias", bias)):  # fmt: skip
        if given is not None and tuple(given.shape) != (c,):
            fail_shape(who, f"{name} of shape ({c},)", shape_str(tuple(given.shape)))
    if not use_input_stats:
        if running_mean is None or running_var is None:
            fail_value(who, "running_mean and running_var when use_input_stats=False", "None")
        spread = (running_var.detach() + eps).rsqrt()
        y = (input - running_mean.detach().reshape(c, *[1] * (input.ndim - 2))) * spread.reshape(
            c, *[1] * (input.ndim - 2)
        )
        return _affine(y, weight, bias)
    if positions == 1:  # torch's check: one position has no spread to scale
        fail_value(who, "more than 1 spatial element", f"input of shape {shape_str(input.shape)}")
    if running_mean is not None or running_var is not None:  # recorded for CPUGraph replays
        record_call(_update_running, input.detach()._data, running_mean, running_var, momentum)
    return group_norm(input, c, weight, bias, eps)


def _update_running(x: np.ndarray, running_mean: Any, running_var: Any, momentum: float) -> None:
    stats = x.reshape(*x.shape[:2], int(np.prod(x.shape[2:])))  # not -1: an empty batch has N = 0
    with np.errstate(invalid="ignore", divide="ignore"):
        for buffer, value in (
            (running_mean, lambda: stats.mean(axis=2).mean(axis=0)),
            (running_var, lambda: stats.var(axis=2, ddof=1).mean(axis=0)),
        ):
            if buffer is not None:
                buffer._data *= 1 - momentum
                buffer._data += momentum * value().astype(buffer.dtype)
                buffer._version += 1


def _affine(y: Any, weight: Any, bias: Any) -> Any:
    shape = (y.shape[1],) + (1,) * (y.ndim - 2)
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    return y
