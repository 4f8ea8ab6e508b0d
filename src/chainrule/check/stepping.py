"""update(): after forward and backward, each parameter must move by -alpha * its gradient."""

from __future__ import annotations

import numpy as np

from . import probe
from .result import Finding


def check_update(driver, inputs, upstream, work) -> None:
    """update() must move each parameter by -alpha * its gradient (or at least downhill)."""
    for name, value in work.items():
        probe.put(driver.obj, name, value.copy())
    try:
        driver.obj.forward(inputs.copy())
        driver.obj.backward(upstream.copy())
        grads = {
            n: np.array(probe.attr(driver.obj, driver.grad_of(n)), dtype=np.float64)
            for n in driver.params
        }
        before = {n: np.array(probe.attr(driver.obj, n), dtype=np.float64) for n in driver.params}
        driver.obj.update()
    except probe.STUDENT_ERRORS:  # forward/backward failures are already reported
        return
    alpha = probe.attr(driver.obj, "alpha")
    driver.checked.append("update")
    for name in driver.params:
        moved = np.asarray(probe.attr(driver.obj, name), dtype=np.float64) - before[name]
        step = grads[name] if alpha is None else float(alpha) * grads[name]
        if not np.any(step):
            continue
        if not np.any(moved):
            driver.findings.append(Finding("update", "update_static"))
        elif moved.shape == step.shape and np.allclose(moved, step):
            driver.findings.append(Finding("update", "update_uphill"))
        elif moved.shape == step.shape and (
            np.allclose(moved, -step) or alpha is None and np.sum(moved * step) < 0
        ):
            continue
        else:
            driver.findings.append(Finding("update", "update_wrong"))
        return
