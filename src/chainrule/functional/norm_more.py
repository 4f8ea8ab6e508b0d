"""rms_norm and local_response_norm: compositions of existing ops in torch's own order, so
autograd chains their derivatives and none is written here."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, fail_shape, fail_value, shape_str
from .padding import pad


def normalized_dims(who: str, input: Any, normalized_shape: Any) -> tuple[int, ...]:
    shape = (
        (normalized_shape,)
        if isinstance(normalized_shape, (int, np.integer))
        else tuple(normalized_shape)
    )
    if (
        not shape
        or tuple(input.shape[input.ndim - len(shape) :]) != shape
        or len(shape) > input.ndim
    ):
        fail_shape(
            who,
            f"inputs whose last dimensions are normalized_shape {shape_str(shape)}",
            shape_str(input.shape),
        )
    return tuple(range(input.ndim - len(shape), input.ndim))


def rms_norm(
    input: Any,  # noqa: A002
    normalized_shape: Any,
    weight: Any = None,
    eps: float | None = None,
):
    """y = x / sqrt(mean(x^2) + eps) * weight over the last len(normalized_shape) dims;
    eps None means the dtype's machine epsilon, as torch."""
    check_tensor("rms_norm", input)
    if input.dtype.kind != "f":
        fail_value("rms_norm", "a floating-point input", f"dtype {input.dtype}")
    dims = normalized_dims("rms_norm", input, normalized_shape)
    eps = float(np.finfo(input.dtype).eps) if eps is None else eps
    y = input * ((input * input).mean(dims, keepdim=True) + eps).rsqrt()
    return y if weight is None else y * weight


def local_response_norm(
    input: Any,  # noqa: A002
    size: int,
    alpha: float = 1e-4,
    beta: float = 0.75,
    k: float = 1.0,
):
    """y = x / (k + alpha / n * sum of x^2 over n neighbouring channels)^beta (AlexNet), the
    window centred on each channel and cut at the edges (zeros beyond, still divided by n)."""
    check_tensor("local_response_norm", input)
    if input.ndim < 3:
        fail_shape(
            "local_response_norm",
            "inputs of shape (N, C, *) with at least 3 dimensions",
            shape_str(input.shape),
        )
    if input.numel() == 0:
        return input * 1
    channels = input.shape[1]
    square = input * input
    pads = (0, 0) * (input.ndim - 2) + (size // 2, (size - 1) // 2)
    padded = pad(square, pads)
    total = padded[:, 0:channels]
    for s in range(1, size):
        total = total + padded[:, s : s + channels]
    div = (total / size * alpha + k).pow(beta)
    return input / div
