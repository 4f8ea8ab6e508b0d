"""Large but finite inputs: a sigmoid or softmax written with a bare np.exp gives NaN there.

The usual check runs on numbers near 1, where every formula agrees; training pushes logits to
hundreds, where exp(x) overflows to inf and inf / inf is NaN. Only NaN is reported: inf can be the
right answer (an exp layer), NaN never is for finite inputs.
"""

from __future__ import annotations

import warnings

import numpy as np

from . import probe, slips
from .reference import as_array
from .result import Finding

LARGE = 1000.0  # exp(710) already overflows float64; a right layer still gives numbers here


def large_inputs(driver, forward, inputs: np.ndarray, targets=None, name: str = "forward") -> None:
    """Run ``forward`` on inputs pushed past +-LARGE, signs kept; NaN in what it returns is a finding."""
    if any(f.name == name for f in driver.findings):
        return  # already wrong on ordinary inputs: one finding at a time
    big = np.where(inputs < 0, -1.0, 1.0) * (LARGE + np.abs(inputs))
    args = (big.copy(),) if targets is None else (big.copy(), targets.copy())
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # the overflow warning is what we report, better worded
        try:
            value = forward(*args)
            out = as_array(value) if value is not None else None
        except probe.STUDENT_ERRORS:
            return  # an error here would be reported on ordinary inputs too; nothing new
    if out is None or not np.isnan(out).any():
        return
    name = (
        slips.nan_helper(forward, big) or name
    )  # the sigmoid() a Sigmoid layer calls: fix it there
    index = tuple(int(i) for i in np.argwhere(np.isnan(out))[0])
    given = big[index] if out.shape == big.shape else float(np.max(np.abs(big)))
    if name not in driver.checked:
        driver.checked.append(name)
    driver.findings.append(
        Finding(name, "nan_for_large", worst_index=None, worst_received=float(given))
    )


def takes_logits(forward, inputs: np.ndarray, targets) -> bool:
    """A BCE over probabilities gives NaN for inputs outside [0, 1]; a softmax loss takes any."""
    if np.any((inputs < 0) | (inputs > 1)):
        return True
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:  # the same probabilities, spread over (-1.6, 1.6)
            value = forward(inputs * 4.0 - 2.0, targets.copy())
            return value is not None and bool(np.isfinite(as_array(value)).all())
        except probe.STUDENT_ERRORS:
            return False
