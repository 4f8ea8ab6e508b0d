"""dropout1d, dropout3d (whole channels), and alpha_dropout, feature_alpha_dropout (SELU's
dropout, which keeps the mean and variance of its input). All reuse Dropout's Function,
y = x * mask, dy/dx = mask; alpha dropout adds a constant where it drops."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .._checks import check_float, check_probability, check_tensor, fail_shape, shape_str
from ..cpugraph.capture import record_call
from ..random import as_generator
from ..autograd.inplace import modify
from .dropout import Dropout, _mask, masked

# -SELU_SCALE * SELU_ALPHA: where SELU saturates, the value a dropped unit takes
ALPHA_PRIME = 1.7580993408473766


def _channels(who: str, x: Any, spatial: int, p: float) -> tuple[int, ...]:
    """The mask's shape: one draw per (sample, channel), broadcast over the spatial axes."""
    check_tensor(who, x)
    check_probability(who, "p", p)
    if x.ndim not in (spatial + 1, spatial + 2):
        layout = "(N, C, L) or (C, L)"
        fail_shape(f"{who}(p={p})", f"inputs of shape {layout}", shape_str(x.shape))
    return tuple(x.shape[: x.ndim - spatial]) + (1,) * spatial


def dropout1d(
    input: Any, p: float = 0.5, training: bool = True, inplace: bool = False, generator: Any = None
):  # noqa: A002
    """Zero whole channels of (N, C, L) or (C, L) with probability p, scaling the rest."""
    shape = _channels("dropout1d", input, 1, p)
    if not training or p == 0.0:
        return input
    check_float("dropout1d", input._data, "input")
    mask = record_call(_mask, as_generator(generator), shape, p, input.dtype)
    return masked(input, mask, inplace, "dropout1d")


def dropout3d(
    input: Any,  # noqa: A002
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
    generator: Any = None,
):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) with probability p.

    Other ranks are deprecated in torch, not refused: it warns, and drops along the first axis
    as for an unbatched input; chainrule does the same.
    """
    check_tensor("dropout3d", input)
    check_probability("dropout3d", "p", p)
    if input.ndim not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {input.ndim}-D input to dropout3d, which is deprecated; "
            "use dropout for inputs that are not 4D or 5D.",
            UserWarning,
            stacklevel=2,
        )
    if not training or p == 0.0:
        return input
    check_float("dropout3d", input._data, "input")
    lead = 2 if input.ndim == 5 else 1
    shape = tuple(input.shape[:lead]) + (1,) * (input.ndim - lead)
    mask = record_call(_mask, as_generator(generator), shape, p, input.dtype)
    return masked(input, mask, inplace, "dropout3d")


def _alpha(x: Any, shape: tuple[int, ...], p: float, generator: Any) -> Any:
    """y = a (x keep + alpha' (1 - keep)) + b with a, b chosen so that a unit-normal input's
    mean and variance survive (torch's constants: a = 1 / sqrt((alpha'^2 p + 1)(1 - p)))."""
    check_float("alpha_dropout", x._data, "input")
    if p == 1.0:
        return x * 0
    keep = record_call(_keep, as_generator(generator), shape, p, x.dtype)
    a = 1.0 / math.sqrt((ALPHA_PRIME**2 * p + 1) * (1 - p))
    mask = record_call(np.multiply, keep, np.asarray(a, x.dtype))
    shift = record_call(_shift, keep, ALPHA_PRIME * a, ALPHA_PRIME * a * p)
    return Dropout.apply(x, mask=mask) + x._wrap(shift)


def _keep(rng: Any, shape: tuple[int, ...], p: float, dtype: Any) -> np.ndarray:
    return (rng.random(shape) >= p).astype(dtype)


def _shift(keep: np.ndarray, scale: float, offset: float) -> np.ndarray:
    return ((keep - 1) * scale + offset).astype(keep.dtype)


def alpha_dropout(
    input: Any, p: float = 0.5, training: bool = False, inplace: bool = False, generator: Any = None
):  # noqa: A002
    """Dropout for SELU networks: dropped units take SELU's negative saturation, then an affine
    map restores the mean and variance. The identity unless training."""
    check_tensor("alpha_dropout", input)
    check_probability("alpha_dropout", "p", p)
    if not training or p == 0.0:
        return input
    if inplace:
        return modify(
            input, "alpha_dropout(inplace=True)", _alpha, tuple(input.shape), p, generator
        )
    return _alpha(input, tuple(input.shape), p, generator)


def feature_alpha_dropout(
    input: Any, p: float = 0.5, training: bool = False, inplace: bool = False, generator: Any = None
):  # noqa: A002
    """alpha_dropout of whole channels: one draw per (sample, channel) of (N, C, *)."""
    check_tensor("feature_alpha_dropout", input)
    check_probability("feature_alpha_dropout", "p", p)
    if not training or p == 0.0:
        return input
    if input.ndim < 2:
        fail_shape(
            f"feature_alpha_dropout(p={p})", "inputs of shape (N, C, *)", shape_str(input.shape)
        )
    shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2)
    if inplace:
        return modify(input, "feature_alpha_dropout(inplace=True)", _alpha, shape, p, generator)
    return _alpha(input, shape, p, generator)
