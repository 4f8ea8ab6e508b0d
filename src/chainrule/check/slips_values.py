"""Slips in a returned value that only the value shows: a loss kept as a (1,) array, numbers cut to
integers, a stale gradient from an earlier call, a forward that remembers the last one.

Each recognizer answers a yes or no for a finding driver.record already made, so a slip is named
only when the plain comparison has failed, and never makes right code wrong.
"""

from __future__ import annotations

import warnings

import numpy as np

from . import probe
from .diagnose import close
from .reference import as_array
from .result import Finding


def one_number(received, expected):
    """A loss as np.mean(..., axis=0) is a (1,) or (1, 1) array holding the same number: the scalar."""
    if np.ndim(expected) != 0:
        return received
    try:
        array = as_array(received)
    except probe.STUDENT_ERRORS:
        return received
    return array.reshape(()) if array.shape in ((1,), (1, 1)) else received


def cut_to_integers(received, expected) -> bool:
    """// where / is meant, or astype(int): whole numbers, each within 1 of the truth, all in order."""
    try:
        got, want = as_array(received), as_array(expected)
    except probe.STUDENT_ERRORS:
        return False
    if got.shape != want.shape or not np.isfinite(got).all() or not np.isfinite(want).all():
        return False
    if np.array_equal(want, np.round(want)):
        return False  # the truth is whole numbers itself: nothing was cut
    return bool(np.array_equal(got, np.round(got)) and np.all(np.abs(got - want) < 1.0))


def matches(received, expected, tol: float) -> bool:
    try:
        got, want = as_array(received), as_array(expected)
    except probe.STUDENT_ERRORS:
        return False
    return got.shape == want.shape and bool(close(got, want, tol).all())


def perfect_bce(driver, obj) -> None:
    """A BCE with no epsilon at all: a perfect prediction (p = t, each 0 or 1) must cost 0, not the
    NaN of 0 * log(0). The notebook's own epsilon=0 is left alone: it chose that on purpose."""
    labels = np.array([[1.0], [0.0], [1.0], [0.0]])
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            loss = as_array(obj.forward(labels.copy(), labels.copy()))
        except probe.STUDENT_ERRORS:
            return
    if not np.isfinite(loss).all():
        if "forward" not in driver.checked:
            driver.checked.append("forward")
        driver.findings.append(Finding("forward", "bce_log0", hint="bce_log0"))
