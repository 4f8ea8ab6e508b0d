"""Recognise how a received array differs from the expected one: a factor, a transpose, a shape.

Each rule answers one question a teacher would ask on seeing the two arrays side by side;
the first that fits names the bug. What no rule explains is reported as a plain mismatch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .reference import NotNumbers, as_array

RTOL, ATOL = 1e-5, 1e-7


@dataclass(frozen=True)
class Comparison:
    """What one received quantity looks like next to the expected one."""

    ok: bool
    diagnosis: str | None = None  # a code from messages.DIAGNOSES, None when ok
    factor: float | None = None  # received / expected, for the factor diagnoses
    n_wrong: int = 0
    n_total: int = 0
    worst_index: tuple | None = None
    worst_expected: float | None = None
    worst_received: float | None = None


def close(a: np.ndarray, b: np.ndarray, tol: float = 1.0) -> np.ndarray:
    # finite differences carry an error relative to the array's scale, not to each element
    scale = max(float(np.max(np.abs(b), initial=0.0)), 1.0)
    return np.abs(a - b) <= tol * (ATOL * scale + RTOL * np.abs(b))


def compare(
    received,
    expected: np.ndarray,
    *,
    batch: int | None = None,
    expected_if_ones: np.ndarray | None = None,
    tol: float = 1.0,
) -> Comparison:
    """Compare element by element, then try each known pattern on what is wrong.

    ``expected_if_ones`` is what a backward would return had it been given an all-ones
    upstream gradient; matching it means the upstream gradient was never multiplied in.
    """
    expected = np.asarray(expected, dtype=np.float64)
    if received is None:
        return Comparison(False, "not_written", n_total=expected.size)
    try:
        received = as_array(received)
    except NotNumbers as error:
        return Comparison(False, error.diagnosis, n_total=expected.size)
    except (Exception, SystemExit):  # the returned object's own __array__ or numpy() failed
        return Comparison(False, "not_an_array", n_total=expected.size)
    if received.shape != expected.shape:
        return _shape_mismatch(received, expected, tol)
    good = close(received, expected, tol)
    if good.all():
        return Comparison(True, n_total=expected.size)
    worst = _worst(received, expected)
    base = dict(n_wrong=int((~good).sum()), n_total=expected.size, **worst)
    if expected_if_ones is not None and close(received, expected_if_ones, tol).all():
        return Comparison(False, "upstream_ignored", **base)
    factor = _constant_factor(received, expected, tol)
    if factor is not None:
        if batch and batch > 1 and np.isclose(factor, batch, rtol=1e-4 * tol):
            return Comparison(False, "sum_for_mean", factor=factor, **base)
        if batch and batch > 1 and np.isclose(factor, 1 / batch, rtol=1e-4 * tol):
            return Comparison(False, "mean_for_sum", factor=factor, **base)
        # any two numbers differ by some factor: only an array, wrong by the same simple one
        # everywhere, is evidence of a factor bug (N and 1/N above are the exception, being exact)
        if expected.size == 1 or not _simple(factor):
            return Comparison(False, "mismatch", **base)
        if np.isclose(factor, -1.0, rtol=1e-4):
            return Comparison(False, "sign", factor=-1.0, **base)
        return Comparison(False, "factor", factor=factor, **base)
    return Comparison(False, "mismatch", **base)


def _shape_mismatch(received: np.ndarray, expected: np.ndarray, tol: float) -> Comparison:
    n = expected.size
    # (2, 1) for (1, 2) too: inputs.T @ grad in place of grad.T @ inputs is a transposed product
    if (
        received.ndim == 2
        and received.shape == expected.shape[::-1]
        and close(received.T, expected, tol).all()
    ):
        return Comparison(False, "transposed", n_total=n)
    if _per_sample(received, expected, tol):
        return Comparison(False, "batch_not_summed", n_total=n)
    return Comparison(False, "wrong_shape", n_total=n)


def _per_sample(received: np.ndarray, expected: np.ndarray, tol: float) -> bool:
    """db = dout where db = dout.sum(axis=0) is meant: one row per sample, right once summed."""
    if received.ndim < 1 or len(received) < 2 or received[0].size != expected.size:
        return False
    if received.ndim != expected.ndim + 1 and received[0].shape != expected.shape[1:]:
        return False
    summed = received.sum(axis=0).reshape(expected.shape)
    return bool(close(summed, expected, tol).all())


def _constant_factor(received: np.ndarray, expected: np.ndarray, tol: float) -> float | None:
    """The c with received == c * expected, if one exists (least squares, then verified)."""
    norm = float(np.sum(expected * expected))
    if norm == 0.0:
        return None
    c = float(np.sum(received * expected)) / norm
    if c == 0.0 or not close(received, c * expected, tol).all():
        return None
    return _round_factor(c, tol)


DENOMINATORS = (1, 2, 3, 4, 5, 8, 10)


def _round_factor(c: float, tol: float = 1.0) -> float:
    """Snap to a simple fraction so that 1.9999999 reads as 2 and 0.333 as 1/3."""
    for denominator in DENOMINATORS:
        snapped = round(c * denominator) / denominator
        if snapped != 0 and abs(snapped - c) <= 1e-4 * tol * abs(c):
            return snapped
    return c


def _simple(c: float) -> bool:
    """A factor a bug would plausibly introduce: a small integer or fraction, not 0.0114057."""
    return abs(c) <= 100 and any(
        abs(round(c * d) - c * d) <= 1e-4 * abs(c * d) for d in DENOMINATORS
    )


def _worst(received: np.ndarray, expected: np.ndarray) -> dict:
    index = np.unravel_index(int(np.argmax(np.abs(received - expected))), expected.shape)
    return dict(
        worst_index=tuple(int(i) for i in index),
        worst_expected=float(expected[index]),
        worst_received=float(received[index]),
    )
