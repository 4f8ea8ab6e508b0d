"""Gradient clipping by global norm, ``clip_grads(grads, max_norm)``, as torch's clip_grad_norm_.

Every gradient is scaled by max_norm / (total_norm + 1e-6) when that is below 1, total_norm
being the norm of all gradients together. The function may change the dict in place (the
textbook's) or return new gradients; either is right. It is called twice: with a max_norm
below the gradients' norm, where it must clip, and with one far above, where it must not.
"""

from __future__ import annotations

import numpy as np

from . import probe
from .result import Finding

SHAPES = {"W1": (3, 2), "b1": (2,), "W2": (2, 2)}


def is_clipping(obj, like: str | None) -> bool:
    return "clip" in (like or probe.name_of(obj)).lower()


def check_clipping(driver, function) -> None:
    grads = {name: driver.rng.standard_normal(shape) for name, shape in SHAPES.items()}
    total = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
    for max_norm in (total / 4, total * 10):
        name = f"{probe.name_of(function)}(max_norm={max_norm:.3g})"
        given = {key: value.copy() for key, value in grads.items()}
        try:
            returned = function(given, max_norm)
        except probe.STUDENT_ERRORS as error:
            driver.fail(name, error, function, (given, max_norm))
            return
        got = _clipped(returned, given)
        driver.checked.append(name)
        rate = min(max_norm / (total + 1e-6), 1.0)
        expected = {key: value * rate for key, value in grads.items()}
        if got is None:
            driver.findings.append(Finding(name, "clip_lost"))
        elif not _close(got, expected):
            driver.findings.append(
                Finding(name, _likely(got, grads, max_norm, rate), found=_norms(got))
            )


def _clipped(returned, given) -> dict | None:
    """What it returned when that holds the gradients, else the dict it was given, changed in place."""
    if isinstance(returned, dict) and set(returned) == set(SHAPES):
        candidate = returned
    elif isinstance(returned, (list, tuple)) and len(returned) == len(SHAPES):
        candidate = dict(zip(SHAPES, returned))
    else:
        candidate = given
    try:
        return {key: np.asarray(candidate[key], dtype=np.float64) for key in SHAPES}
    except (KeyError, TypeError, ValueError):
        return None


def _close(got, expected) -> bool:
    return all(
        got[key].shape == expected[key].shape
        and np.allclose(got[key], expected[key], rtol=1e-5, atol=1e-9)
        for key in SHAPES
    )


def _likely(got, grads, max_norm, rate) -> str:
    per_tensor = {
        key: g * min(max_norm / (np.linalg.norm(g) + 1e-6), 1.0) for key, g in grads.items()
    }
    if _close(got, per_tensor):
        return "clip_per_tensor"
    if _close(got, grads):
        return "clip_never"
    if rate == 1.0:
        return "clip_below_threshold"
    return "clip_wrong"


def _norms(got) -> tuple:
    total = float(np.sqrt(sum(np.sum(g * g) for g in got.values())))
    return (f"{total:.4g}",)
