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

from . import (
    clipping,
    extremes,
    feeding,
    habits,
    keywords,
    limits,
    messages,
    modes,
    networks,
    optimizers,
    probe,
    running,
    slips,
)
from .diagnose import Comparison
from .drive import Driver
from .reference import REFERENCES
from .result import Finding, Result

__all__ = ["Comparison", "Finding", "REFERENCES", "Result", "check"]


def check(
    obj: Any,
    inputs: Any = None,
    targets: Any = None,
    *,
    like: str | None = None,
    derivative_of: Callable | None = None,
    lang: str = "en",
    seed: int = 0,
    time_limit: float | None = 30.0,
) -> Result:
    """Check a notebook-style layer, loss or function against central differences in float64.

    ``like`` names the notebook's layer it should behave as ("Linear2", "MSELoss", ...) so the
    forward is compared with chainrule's own; by default the object's own name is tried.
    ``derivative_of=f`` checks ``obj`` as the derivative of ``f``. A class is instantiated
    with no arguments, so a blank left in its ``__init__`` is reported too. The result is truthy exactly
    when nothing is wrong, and prints every wrong quantity with a diagnosis. The student's code is
    stopped after ``time_limit`` seconds (an endless loop is a finding, not a hung notebook; None:
    no limit), and what it prints while checked is counted, not shown.

    >>> import numpy as np
    >>> def sigmoid(x):
    ...     return 1 / (1 + np.exp(-x))
    >>> bool(check(sigmoid))
    True
    """
    lang = messages.check_lang(lang)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(
            f"chainrule.check(seed={seed!r}): expected a non-negative integer, got {seed!r}."
        )
    time_limit = limits.check_time_limit(time_limit)
    rng = np.random.default_rng(seed)
    # the student's code may draw from NumPy's global generator (np.random.rand in a Dropout, randn
    # in an __init__): whatever it draws while checked, its sequence goes on as if never called
    global_state = np.random.get_state()
    try:
        with limits.quiet() as printed:
            try:
                with limits.deadline(time_limit):
                    result = _check(obj, inputs, targets, like, derivative_of, lang, rng)
            except limits.TimeLimit as error:
                result = habits.timed_out(obj, like, error, time_limit, lang)
    finally:
        np.random.set_state(global_state)
    result.printed = limits.lines_printed(printed)
    return result


def _check(obj, inputs, targets, like, derivative_of, lang, rng) -> Result:
    if like in optimizers.KINDS or optimizers.is_optimizer(obj):
        return _optimizer(obj, like, lang, rng)
    if callable(obj) and not inspect.isclass(obj) and clipping.is_clipping(obj, like):
        driver = Driver(obj, None, [], rng)
        clipping.check_clipping(driver, obj)
        return _result(like or probe.name_of(obj), driver, lang)
    reference = probe.reference_for(derivative_of if derivative_of is not None else obj, like, lang)
    subject = like or probe.name_of(obj)
    if derivative_of is not None:
        obj, derivative_of = (keywords.positional(f) or f for f in (obj, derivative_of))
        driver = Driver(obj, reference, [], rng)
        x = feeding.given(inputs) if inputs is not None else rng.standard_normal((probe.BATCH, 1))
        driver.derivative(derivative_of, x, probe.name_of(obj))
        return _result(subject, driver, lang)
    refused, drew = habits.refuse(obj, like), False
    if refused is None and inspect.isclass(obj):
        # a class is built here, so that a blank in its __init__ is a finding, not a crash
        try:
            obj, drew = slips.global_draws(obj)
        except probe.STUDENT_ERRORS as error:
            driver = Driver(obj, reference, [], rng)
            driver.fail("__init__", error)
            return _result(subject, driver, lang)
        if like is None:
            reference = probe.reference_for(obj, None, lang)
        refused = habits.refuse(obj, like)
    with keywords.positional_calls(obj) as obj:
        if refused is None:
            habits.check_like(obj, like, reference, lang)
        driver = Driver(obj, reference, [], rng)
        if (
            refused is not None
        ):  # an sklearn-style class, a Value, f(grad, x, theta): say why, not crash
            driver.checked.append(refused.name)
            driver.findings.append(refused)
            return _result(subject, driver, lang)
        if networks.is_network(obj):
            networks.check_network(driver, obj, inputs, targets)
            return _result(subject, driver, lang)
        if drew:  # checked apart from the rest: the weights it drew are still judged as numbers
            driver.checked.append("__init__")
            driver.findings.append(Finding("__init__", "global_rng"))
        called = _call_as_forward(obj)
        try:
            _check_object(driver, obj, inputs, targets, like, reference, rng)
        except probe.AttributeRaised as error:
            driver.fail(error.name, error)
        finally:
            if called:
                vars(obj).pop("forward", None)
        return _result(subject, driver, lang)


def _optimizer(obj, like: str | None, lang: str, rng: np.random.Generator) -> Result:
    """An optimizer class (update(params, grads)), built with no arguments like a layer."""
    subject = like or probe.name_of(obj)
    driver = Driver(obj, None, [], rng)
    if inspect.isclass(obj):
        try:
            obj = obj()
        except probe.STUDENT_ERRORS as error:
            driver.fail("__init__", error)
            return _result(subject, driver, lang)
    optimizers.check_optimizer(driver, obj, like)
    return _result(subject, driver, lang)


def _call_as_forward(obj) -> bool:
    """A layer with __call__ and backward but no forward: check __call__ as its forward."""
    try:
        if probe.has(obj, "forward") or not probe.has(obj, "backward"):
            return False
    except probe.AttributeRaised:
        return False
    if inspect.isroutine(obj) or not callable(obj) or not hasattr(obj, "__dict__"):
        return False
    vars(obj)["forward"] = obj.__call__
    return True


def _check_object(driver: Driver, obj, inputs, targets, like, reference, rng) -> None:
    kind = probe.kind_of(obj)
    if reference is not None and kind == "layer" and reference.kind == "forward":
        kind = "forward"
    notebook = like in probe.PARAM_SHAPES
    params = probe.parameters(obj, notebook)
    for name in probe.PARAM_SHAPES.get(like, ()):
        # theta = [[0.0, 0.0]] is still the parameter like= names: check it as an array
        value = probe.attr(obj, name)
        if value is not None and name not in params and _numbers(value):
            params.append(name)  # its float64 copy is what the student's code sees while checked
    # arrays without a grad_<name> yet may still be parameters: backward will tell
    originals = {
        name: probe.attr(obj, name)
        for name in dict.fromkeys([*params, *probe.arrays(obj, notebook)])
    }
    driver.params = params
    on_class = probe.class_arrays(obj)
    for name in [name for name in on_class if name in params]:
        driver.checked.append(name)
        driver.findings.append(Finding(name, "class_attribute"))
    driver.notebook_names = notebook
    if not _dtypes_trainable(driver, originals):
        return
    # integer parameters are checked on float64 copies, so a wrong backward is still found
    work = {name: np.array(value, dtype=np.float64) for name, value in originals.items()}
    try:
        if kind in ("layer", "forward"):
            if not _shapes_as_like(driver, obj, like):
                _run_layer(
                    driver,
                    obj,
                    inputs,
                    reference,
                    work,
                    rng,
                    kind,
                    tuple(probe.PARAM_SHAPES.get(like, ())),
                )
        elif kind == "loss" or probe.takes_targets(obj):
            x, t = feeding.loss_inputs(obj, inputs, targets, reference, rng, kind)
            if kind == "loss":
                driver.loss(x, t)
                if reference is REFERENCES["BCELoss"]:
                    slips.saturated_bce(driver, obj)
            else:
                _run_function(driver, obj, x, t)
            forward = probe.attr(obj, "forward") if kind == "loss" else obj
            if extremes.takes_logits(forward, x, t):
                extremes.large_inputs(
                    driver, forward, x, t, "forward" if kind == "loss" else probe.name_of(obj)
                )
        else:
            x = (
                feeding.given(inputs)
                if inputs is not None
                else probe.default_inputs(obj, reference, work, rng, kind)[0]
            )
            _run_function(driver, obj, x)
    finally:
        for name, value in originals.items():
            probe.put(obj, name, value)
        for name in on_class:  # it lived on the class: the instance gets no copy of its own
            vars(obj).pop(name, None)
    if kind in ("layer", "forward") and probe.has(obj, "backward"):
        slips.widened(driver, obj, inputs, {n: originals[n] for n in params})


def _numbers(value: Any) -> bool:
    try:
        return np.asarray(value).dtype.kind in "biuf"
    except (TypeError, ValueError):
        return False


def _result(subject: str, driver: Driver, lang: str) -> Result:
    return Result(
        subject,
        driver.checked,
        driver.findings,
        lang,
        unchanged=driver.unchanged,
        shaped=driver.shaped,
        ran=driver.ran,
    )


def _dtypes_trainable(driver: Driver, originals: dict) -> bool:
    """Report integer and complex parameters; False when one is complex and nothing can be checked."""
    trainable = True
    for name, value in originals.items():
        diagnosis = probe.wrong_dtype(value)
        if diagnosis is None:
            continue
        driver.checked.append(name)
        driver.findings.append(Finding(name, diagnosis, dtype=str(value.dtype)))
        # a complex theta has no float64 copy that means the same thing: stop here
        trainable = trainable and diagnosis != "param_complex"
    return trainable


def _shapes_as_like(driver: Driver, obj, like: str | None) -> bool:
    """like="Linear2" means theta of shape (1, 2): say so first, before grad_theta is blamed for it."""
    wrong = False
    for name, shape in probe.PARAM_SHAPES.get(like, {}).items():
        value = probe.attr(obj, name)
        if name not in driver.checked:
            driver.checked.append(name)
        driver.shaped.append(name)
        if value is None or value is Ellipsis:
            hint = dict(hint="blank_in_init", found=(name,)) if value is Ellipsis else {}
            driver.findings.append(Finding(name, "not_written", **hint))
            wrong = True
        elif not _numbers(value):
            driver.findings.append(Finding(name, "not_an_array"))
            wrong = True
        elif np.shape(value) != shape:
            local = slips.assigned_locally(getattr(type(obj), "__init__", None), name)
            driver.findings.append(
                Finding(
                    name,
                    "param_shape",
                    owner=like,
                    expected_shape=shape,
                    received_shape=tuple(np.shape(value)),
                    **(dict(hint="local_not_self", found=(name,)) if local else {}),
                )
            )
            wrong = True
    return wrong


def _run_function(driver: Driver, obj, x, t=None) -> None:
    """Call the student's function on arrays kept aside, so that changing them in place is seen."""
    name = probe.name_of(obj)
    kept_x = x.copy()
    warm = driver.warm_up(x, t)  # a result memoised on the first call then shows as stale
    if t is None:
        value = driver.value(name, lambda: driver.call(obj, x), kept_x, method=obj)
        driver.stale_value(name, value, warm)
        driver.kept(_argument(obj, 0, "x"), x, kept_x, owner=name)
        extremes.large_inputs(driver, obj, kept_x, name=name)
        return
    kept_t = t.copy()
    value = driver.value(name, lambda: driver.call(obj, x, t), kept_x, kept_t, method=obj)
    driver.stale_value(name, value, warm, kept_t)
    driver.kept(_argument(obj, 0, "inputs"), x, kept_x, owner=name)
    driver.kept(_argument(obj, 1, "targets"), t, kept_t, owner=name)


def _argument(function, index: int, default: str) -> str:
    names = probe.argument_names(function)
    return names[index] if index < len(names) else default


def _run_layer(driver: Driver, obj, inputs, reference, work, rng, kind, known=()) -> None:
    for name, value in work.items():
        probe.put(obj, name, value.copy())
    x = (
        feeding.given(inputs)
        if inputs is not None
        else feeding.accepted(obj, reference, work, rng, kind)
    )
    if inputs is not None and np.asarray(inputs).dtype.kind in "iu" and not feeding.accepts(obj, x):
        x = np.array(inputs)  # indices (an Embedding's) stay integers: W[x] needs them so
    weights = any(np.ndim(value) for value in work.values())  # a ratio of 0.5 is no weight
    if inputs is None and not weights and x.ndim == 2 and modes.is_random(obj, x):
        # a Dropout: over 5 inputs a mask drawn anew in backward matches forward's one time in 32
        wide = rng.standard_normal((len(x), 8 * x.shape[1]))
        x = wide if feeding.accepts(obj, wide) else x
    driver.reorder = inputs is None
    with modes.driven(obj, x) as (flag, random, original):
        driver.layer(x, work, known)
        if random:
            modes.random_backward(driver, obj, x)
        if not work:  # an activation: the layers with parameters are judged on ordinary inputs
            extremes.large_inputs(driver, probe.attr(obj, "forward"), x)
    if flag is not None and random:
        modes.test_mode(driver, original, x, flag)
    elif flag is not None:
        running.check_running(driver, obj, original, x, flag)
