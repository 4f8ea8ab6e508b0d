"""The reduction argument shared by every loss ('mean', 'sum' or 'none')."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._checks import fail_value, message, shape_str
from ..errors import ArgumentError, DTypeError, NoKernelError

REDUCTIONS = ("mean", "sum", "none")


def check_reduction(who: str, reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ArgumentError(
            f"{who}: expected reduction 'mean', 'sum' or 'none', got {reduction!r}."
        )


def legacy_reduction(size_average: Any, reduce: Any, reduction: str) -> str:
    """torch's deprecated size_average / reduce pair, mapped to reduction as torch maps it."""
    if size_average is None and reduce is None:
        return reduction
    warnings.warn(
        "size_average and reduce args will be deprecated, please use reduction='...' instead.",
        UserWarning,
        stacklevel=3,
    )
    if reduce is False:
        return "none"
    return "sum" if size_average is False else "mean"


def check_prediction(who: str, prediction) -> None:
    """A loss needs a non-empty floating-point prediction (a mean of nothing is NaN)."""
    prediction = getattr(prediction, "_data", prediction)  # a Tensor's .shape builds a Size
    dtype = getattr(prediction, "dtype", None)
    if dtype is None or getattr(dtype, "kind", None) != "f":
        # torch has no integer kernel for its losses: NotImplementedError, still a DTypeError
        error = NoKernelError if getattr(dtype, "kind", None) in ("b", "i", "u") else DTypeError
        raise error(
            message(
                who,
                "floating-point inputs (the model's predictions)",
                f"dtype {dtype}",
                "convert with .to(np.float32) or .to(np.float64).",
            )
        )
    if 0 in prediction.shape:
        fail_value(
            who,
            "a batch with at least one sample",
            f"an empty batch of shape {shape_str(prediction.shape)}",
        )


def reduce_loss(
    per_element: np.ndarray,
    reduction: str,
    denominator: float | None = None,
    into: np.ndarray | None = None,
):
    """Apply the reduction; the scale is what backward multiplies the gradient by.

    ``into``: the array a CPUGraph replay wants the loss in (a loss's forward passes its own on),
    which saves the replay a closure and a copy per step.
    """
    if reduction == "none":
        return _placed(per_element, into), None
    total = np.add.reduce(per_element, axis=None)  # per_element.sum() less its Python layer
    if reduction == "sum":
        return _placed(total, into), 1.0
    count = per_element.size if denominator is None else denominator
    if count == 0:
        # every label ignored (or every weight zero): torch's mean is 0/0 = NaN, and its gradient
        # is zero when the labels were ignored (chainrule gives zero for zero weights too)
        return _placed(np.asarray(np.nan, dtype=per_element.dtype), into), 0.0
    return np.divide(total, count, out=... if into is None else into), 1.0 / count


def _placed(loss, into: np.ndarray | None) -> np.ndarray:
    if into is None:
        return np.asarray(loss)
    into[...] = loss
    return into


def target_array(target: Any) -> np.ndarray:
    """The labels behind a Tensor, a list or an array (an ndarray as it is: its .data is a
    memoryview, a costly detour)."""
    if type(target) is np.ndarray:
        return target
    return np.asarray(getattr(target, "data", target))


def times_upstream(gradient: np.ndarray, grad_y: np.ndarray, scale: float) -> None:
    """``gradient *= upstream(grad_y, scale)``, as a CPUGraph replay's step: grad_y is read at
    each replay, so it need not stay 1."""
    gradient *= upstream(grad_y, scale)


def upstream(grad_y: np.ndarray, scale: float | None):
    """The incoming gradient, broadcastable over the per-element loss.

    A reduced loss gets a 0-d gradient; it comes back as a Python float, so the caller's
    array arithmetic does one multiplication instead of two (and float32 stays float32).
    """
    if scale is None:
        return grad_y
    return float(grad_y) * scale


def check_target_not_nan(who: str, target) -> None:
    """A NaN target makes the loss NaN and every gradient NaN; torch lets it through, chainrule
    names where it is (it is usually a missing label in the data)."""
    array = (
        target
        if isinstance(target, np.ndarray)
        else (target.detach().numpy() if hasattr(target, "detach") else np.asarray(target))
    )
    if array.dtype.kind == "f" and np.isnan(array).any():
        where = tuple(int(i) for i in np.argwhere(np.isnan(array))[0])
        fail_value(
            who,
            "targets without NaN",
            f"NaN at index {where}",
            "drop or fill the missing labels before training.",
        )
