"""What check() feeds the student's code: the inputs and targets it was given, or defaults it accepts."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import numeric, probe
from .reference import as_array


def loss_inputs(obj, inputs, targets, reference, rng, kind):
    """The student's inputs and targets when given; else the first default that can tell right from wrong."""
    if inputs is not None:
        x = given(inputs)
        return x, targets_of(targets) if targets is not None else probe.default_targets(
            reference, rng, len(x), x.shape
        )
    if reference is not None:
        x = probe.default_inputs(obj, reference, {}, rng, "loss")[0]
        return x, targets_of(targets) if targets is not None else probe.default_targets(
            reference, rng, len(x)
        )
    forward = probe.attr(obj, "forward") if kind == "loss" else obj
    candidates = probe.loss_candidates(rng)
    if targets is not None:
        candidates = [
            (x, targets_of(targets)) for x, _ in candidates if len(x) == len(np.asarray(targets))
        ]
    for x, t in candidates:
        try:  # the first pair whose loss moves with its inputs: a constant loss checks nothing
            jac = numeric.jacobian(lambda p, t=t: as_array(forward(p, t.copy())), x)
        except probe.STUDENT_ERRORS:
            continue
        if np.any(np.abs(jac) > 1e-9):
            return x, t
    return candidates[0] if candidates else (probe.loss_candidates(rng)[0])


def targets_of(value: Any) -> np.ndarray:
    """Integer class labels stay integers: the student's code may index with them."""
    array = np.asarray(value)
    return array.copy() if array.dtype.kind in "iub" else np.array(array, dtype=np.float64)


def accepted(obj, reference, work, rng, kind) -> np.ndarray:
    """The first candidate shape the forward accepts is the one it implies."""
    candidates = probe.default_inputs(obj, reference, work, rng, kind)
    for x in candidates[:-1]:
        if accepts(obj, x):
            return x
    images = rng.standard_normal((2, 2, 4, 4))  # a Pooling layer's (N, C, H, W), when rows fail
    return images if not accepts(obj, candidates[-1]) and accepts(obj, images) else candidates[-1]


def accepts(obj, x: np.ndarray) -> bool:
    try:
        probe.attr(obj, "forward")(x.copy())
    except probe.STUDENT_ERRORS:
        return False
    return True


def given(value: Any) -> np.ndarray:
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"chainrule.check: expected inputs as an array of numbers, got {type(value).__name__} "
            f"{str(value)[:40]!r}."
        ) from None
    if array.size == 0:
        raise ValueError(
            f"chainrule.check: expected inputs with at least one element, got shape {array.shape}."
        )
    return array
