"""BatchNorm's running statistics and test mode, reported apart from its gradients.

Two training-mode forwards on batches with different statistics: after the second, each running
array must be a blend m * old + (1 - m) * batch of its value after the first, with one m in
[0, 1) for every element (0.9 in the textbook, 0.1 the other way round in PyTorch: both are
accepted; the variance may be the biased or the unbiased one). Test mode must then normalize
with those running arrays and leave them alone.
"""

from __future__ import annotations

import numpy as np

from . import probe
from .reference import as_array
from .result import Finding

EPSILONS = (1e-7, 1e-5, 1e-8, 1e-6, 1e-3, 1e-10, 0.0)


def running_names(obj) -> tuple[str | None, str | None]:
    """The student's names for the running mean and variance (running_mean, moving_var...)."""
    mean = var = None
    for name in probe.state(obj):
        lowered = name.lower()
        if not any(word in lowered for word in ("run", "moving", "avg", "ema")):
            continue
        if "mean" in lowered or "mu" in lowered:
            mean = mean or name
        elif "var" in lowered:
            var = var or name
    return mean, var


def check_running(driver, obj, forward, x: np.ndarray, flag: str) -> None:
    mean_name, var_name = running_names(obj)
    if mean_name is None or var_name is None or x.ndim != 2:
        return
    other = x * 2.0 + 1.0  # a batch whose mean and variance differ from x's
    try:
        forward(x.copy(), **{flag: True})  # the textbook sets the running arrays on the first call
        old = _arrays(obj, mean_name, var_name)
        forward(other.copy(), **{flag: True})
        new = _arrays(obj, mean_name, var_name)
        probe_x = x[::-1] * 0.5 - 0.3
        test = as_array(forward(probe_x.copy(), **{flag: False}))
        after = _arrays(obj, mean_name, var_name)
    except probe.STUDENT_ERRORS as error:
        driver.fail(f"forward({flag}=False)", error, forward, (x.copy(),))
        return
    if old is None or new is None or after is None:
        return
    batch_var = (other.var(axis=0), other.var(axis=0, ddof=1))
    for name, before, now, batch in zip(
        (mean_name, var_name), old, new, ((other.mean(axis=0),), batch_var)
    ):
        driver.checked.append(name)
        if np.array_equal(before, now):
            driver.findings.append(Finding(name, "running_static"))
        elif not any(_blend(before, now, b) for b in batch):
            word = "mean" if name == mean_name else "variance"
            driver.findings.append(Finding(name, "running_wrong", found=(word,)))
    name = f"forward({flag}=False)"
    driver.checked.append(name)
    changed = [n for n, a, b in zip((mean_name, var_name), new, after) if not np.array_equal(a, b)]
    if changed:
        driver.findings.append(Finding(changed[0], "running_in_test", owner=flag))
        return
    gamma, beta = _affine(driver, obj)
    used = _normalized(probe_x, *new, gamma, beta, test)
    if used:
        return
    batch = (probe_x.mean(axis=0), probe_x.var(axis=0))
    diagnosis = (
        "test_uses_batch" if _normalized(probe_x, *batch, gamma, beta, test) else "test_mode_wrong"
    )
    driver.findings.append(Finding(name, diagnosis, owner=flag))


def _arrays(obj, mean_name, var_name):
    values = [probe.attr(obj, mean_name), probe.attr(obj, var_name)]
    try:
        arrays = [np.array(v, dtype=np.float64) for v in values]
    except (TypeError, ValueError):  # None before the first forward, or not numbers at all
        return None
    return arrays if all(a.ndim == 1 for a in arrays) else None


def _blend(before, now, batch) -> bool:
    """now == m * before + (1 - m) * batch for one m in [0, 1), the same for every element."""
    if now.shape != batch.shape or before.shape != batch.shape:
        return False
    for m in _weights(before, now, batch):
        if 0.0 <= m < 1.0 and np.allclose(now, m * before + (1 - m) * batch, rtol=1e-6, atol=1e-9):
            return True
    return False


def _weights(before, now, batch):
    apart = np.abs(before - batch) > 1e-9
    if not apart.any():
        return [0.0]
    return [float(np.median((now[apart] - batch[apart]) / (before[apart] - batch[apart])))]


def _affine(driver, obj):
    """gamma and beta under the student's names; 1 and 0 for a BatchNorm without them."""
    gamma, beta = 1.0, 0.0
    for name in driver.params:
        value = np.asarray(probe.attr(obj, name), dtype=np.float64)
        lowered = name.lower()
        if "gamma" in lowered or "weight" in lowered or "scale" in lowered:
            gamma = value
        elif "beta" in lowered or "bias" in lowered or "shift" in lowered:
            beta = value
    return gamma, beta


def _normalized(x, mean, var, gamma, beta, got) -> bool:
    if got.shape != x.shape:
        return False
    for eps in EPSILONS:
        with np.errstate(all="ignore"):
            expected = gamma * (x - mean) / np.sqrt(var + eps) + beta
        if np.allclose(got, expected, rtol=1e-4, atol=1e-6):
            return True
    return False
