"""Inverted dropout: zero each element with probability p and scale the rest by 1/(1-p)."""

from __future__ import annotations

from typing import Any

from .._checks import check_float, check_probability, check_tensor, fail_shape, shape_str
from ..autograd.function import Function
from ..autograd.inplace import modify
from ..cpugraph.capture import record_call
from ..random import as_generator


class Dropout(Function):
    """y = x * mask / (1 - p); dy/dx = mask / (1 - p), the same mask."""

    @staticmethod
    def forward(ctx, x, mask):
        ctx.save(mask=mask)
        return x * mask

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * ctx.mask


def dropout(
    x: Any, p: float = 0.5, training: bool = True, inplace: bool = False, generator: Any = None
):
    """Identity unless training; the mask is drawn from ``generator`` (a Generator or seed)."""
    check_tensor("dropout", x)
    check_probability("dropout", "p", p)
    if not training or p == 0.0:
        return x
    check_float("dropout", x._data, "input")  # torch cannot scale integers by 1 / (1 - p) either
    mask = record_call(_mask, as_generator(generator), tuple(x.shape), p, x.dtype)
    return masked(x, mask, inplace, "dropout")


def dropout2d(
    x: Any, p: float = 0.5, training: bool = True, inplace: bool = False, generator: Any = None
):
    """Zero whole channels with probability p (torch.nn.functional.dropout2d), scaling the rest.

    Neighbouring pixels of a feature map are strongly correlated, so dropping single pixels
    barely regularises a CNN; dropping a channel does. Shapes: (N, C, H, W) or unbatched
    (C, H, W). The mask is the same Dropout Function's, broadcast over H and W.
    """
    check_tensor("dropout2d", x)
    check_probability("dropout2d", "p", p)
    if x.ndim not in (3, 4):
        fail_shape(
            f"dropout2d(p={p})", "inputs of shape (N, C, H, W) or (C, H, W)", shape_str(x.shape)
        )
    if not training or p == 0.0:
        return x
    check_float("dropout2d", x._data, "input")
    channels = tuple(x.shape[: x.ndim - 2])
    mask = record_call(_mask, as_generator(generator), channels, p, x.dtype)
    return masked(x, mask.reshape(channels + (1, 1)), inplace, "dropout2d")


def masked(x: Any, mask: Any, inplace: bool, who: str) -> Any:
    """x * mask, or written into x itself for torch's ``inplace=True`` (recorded, as x.mul_())."""
    if not inplace:
        return Dropout.apply(x, mask=mask)
    return modify(x, f"{who}(inplace=True)", lambda t: Dropout.apply(t, mask=mask))


def _mask(rng: Any, shape: tuple[int, ...], p: float, dtype: Any) -> Any:
    """keep / (1 - p) with keep ~ Bernoulli(1 - p); a CPUGraph replays the draw, so each replay
    takes the next numbers from the generator as an eager step would."""
    keep = rng.random(shape) >= p
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    return (keep * scale).astype(dtype)
