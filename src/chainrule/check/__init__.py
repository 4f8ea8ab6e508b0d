"""chainrule.check: one call tells a student exactly what is wrong with a notebook-style layer.

The student's code stays as the notebook wrote it: a layer with ``forward(inputs)``,
``backward(grad)``, parameters such as ``theta`` and their gradients ``grad_theta``, and
``update()``; a loss with ``forward(inputs, targets)`` and ``backward()``; or a plain
function such as ``loss_MSE`` or ``sigmoid``. Nothing needs wrapping or subclassing.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

import numpy as np

from . import messages, probe
from .diagnose import Comparison
from .drive import Driver
from .reference import REFERENCES
from .result import Finding, Result

__all__ = ["Comparison", "Finding", "REFERENCES", "Result", "check"]


def check(obj: Any, inputs: Any = None, targets: Any = None, *, like: str | None = None,
          derivative_of: Callable | None = None, lang: str = "en", seed: int = 0) -> Result:
    """Check a notebook-style layer, loss or function against central differences in float64.

    ``like`` names the notebook's layer it should behave as ("Linear2", "MSELoss", ...) so the
    forward is compared with chainrule's own; by default the object's own name is tried.
    ``derivative_of=f`` checks ``obj`` as the derivative of ``f``. A class is instantiated
    with no arguments, so a blank left in its ``__init__`` is reported too. The result is truthy exactly
    when nothing is wrong, and prints every wrong quantity with a diagnosis.

    >>> import numpy as np
    >>> def sigmoid(x):
    ...     return 1 / (1 + np.exp(-x))
    >>> bool(check(sigmoid))
    True
    """
    lang = messages.check_lang(lang)
    rng = np.random.default_rng(seed)
    reference = probe.reference_for(derivative_of if derivative_of is not None else obj, like)
    subject = like or probe.name_of(obj)
    if derivative_of is not None:
        driver = Driver(obj, reference, [], rng)
        x = _given(inputs) if inputs is not None else rng.standard_normal((probe.BATCH, 1))
        driver.derivative(derivative_of, x, probe.name_of(obj))
        return Result(subject, driver.checked, driver.findings, lang)
    if inspect.isclass(obj):
        # a class is built here, so that a blank in its __init__ is a finding, not a crash
        try:
            obj = obj()
        except Exception as error:  # noqa: BLE001
            driver = Driver(obj, reference, [], rng)
            driver.fail("__init__", error)
            return Result(subject, driver.checked, driver.findings, lang)
    kind = probe.kind_of(obj)
    if reference is not None and kind == "layer" and reference.kind == "forward":
        kind = "forward"
    params = probe.parameters(obj)
    originals = {name: getattr(obj, name) for name in params}
    work = {name: np.array(value, dtype=np.float64) for name, value in originals.items()}
    driver = Driver(obj, reference, params, rng)
    try:
        if kind in ("layer", "forward"):
            _run_layer(driver, obj, inputs, reference, work, rng, kind)
        elif kind == "loss" or probe.takes_targets(obj):
            x = _given(inputs) if inputs is not None else probe.default_inputs(obj, reference, work, rng, "loss")[0]
            t = _given(targets) if targets is not None else probe.default_targets(reference, rng, len(x))
            if kind == "loss":
                driver.loss(x, t)
            else:
                driver.value(probe.name_of(obj), lambda: driver.call(obj, x, t), x.copy(), t)
        else:
            x = _given(inputs) if inputs is not None else probe.default_inputs(obj, reference, work, rng, kind)[0]
            driver.value(probe.name_of(obj), lambda: driver.call(obj, x.copy()), x.copy())
    finally:
        for name, value in originals.items():
            setattr(obj, name, value)
    return Result(subject, driver.checked, driver.findings, lang)


def _run_layer(driver: Driver, obj, inputs, reference, work, rng, kind) -> None:
    for name, value in work.items():
        setattr(obj, name, value.copy())
    if inputs is not None:
        driver.layer(_given(inputs), work)
        return
    candidates = probe.default_inputs(obj, reference, work, rng, kind)
    for x in candidates[:-1]:
        try:   # the first shape the forward accepts is the one it implies
            obj.forward(x.copy())
        except Exception:  # noqa: BLE001
            continue
        driver.layer(x, work)
        return
    driver.layer(candidates[-1], work)


def _given(value: Any) -> np.ndarray:
    return np.array(value, dtype=np.float64)
