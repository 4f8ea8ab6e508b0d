"""A network class with ``params``, ``loss(x, t)`` and ``gradient(x, t)``: the textbook's deep net.

``gradient`` (backpropagation through all its layers) must equal the central differences of
``loss`` with respect to each array in ``params``, perturbed in place, since the layers hold
the very arrays the dict does. The loss is called in training mode (``train_flg=True``) as
``gradient`` calls it, and a net with Dropout has its random state put back before every call,
so each call drops the same units.
"""

from __future__ import annotations

import numpy as np

from . import modes, probe
from .reference import as_array
from .result import Finding

SAMPLED = 40  # elements compared in a parameter larger than FULL, so a 784-wide net stays quick
FULL = 400


def is_network(obj) -> bool:
    try:
        return (
            probe.has(obj, "gradient")
            and probe.has(obj, "loss")
            and isinstance(probe.attr(obj, "params"), dict)
        )
    except probe.AttributeRaised:
        return False


def check_network(driver, obj, inputs, targets) -> None:
    params = {
        key: value
        for key, value in probe.attr(obj, "params").items()
        if isinstance(value, np.ndarray) and value.dtype.kind == "f"
    }
    first = next((v for v in params.values() if v.ndim == 2), None)
    if first is None:
        driver.checked.append("params")
        driver.findings.append(Finding("params", "not_written"))
        return
    x = (
        np.asarray(inputs, dtype=np.float64)
        if inputs is not None
        else driver.rng.standard_normal((probe.BATCH, first.shape[0]))
    )
    saved = {key: value.copy() for key, value in params.items()}
    for value in params.values():
        # zero biases put a sample whose hidden units are all off exactly on the next ReLU's
        # kink, where a central difference halves the slope: move off it, put back at the end
        value += driver.rng.normal(0.0, 1e-3, value.shape).astype(value.dtype)
    try:
        _check(driver, obj, params, x, targets)
    finally:
        for key, value in params.items():
            value[...] = saved[key]


def _check(driver, obj, params, x, targets) -> None:
    kept = modes.snapshot(obj)
    flag = modes.mode_flag(probe.attr(obj, "loss"))
    options = {flag: True} if flag else {}
    try:
        t = targets if targets is not None else _one_hot(driver, obj, x, params)
        modes.restore(kept)
        grads = driver.call(probe.attr(obj, "gradient"), x.copy(), np.copy(t))
    except probe.STUDENT_ERRORS as error:
        driver.fail("gradient", error, probe.attr(obj, "gradient"), (x.copy(),))
        modes.restore(kept)
        return

    def loss() -> float:
        modes.restore(kept)
        return float(as_array(obj.loss(x.copy(), np.copy(t), **options)))

    driver.float32 = driver.float32 or any(v.dtype == np.float32 for v in params.values())
    # the textbook's loss takes log(y + 1e-7) while its gradient is y - t: the two disagree by
    # up to 1e-7 / y, 1e-4 of the gradient when a class gets y = 1e-3; a wrong term is far more
    driver.tolerance = 100.0
    try:
        for key, value in params.items():
            _compare(driver, key, value, grads, loss)
    except probe.STUDENT_ERRORS as error:
        driver.fail("loss", error, probe.attr(obj, "loss"), (x.copy(),))
    finally:
        modes.restore(kept)


def _one_hot(driver, obj, x, params) -> np.ndarray:
    """One-hot targets as wide as the net's output: predict(x) when it has one, else the last W."""
    predict = probe.attr(obj, "predict")
    width = None
    if predict is not None:
        width = as_array(predict(x.copy())).shape[-1]
    else:
        width = [v for v in params.values() if v.ndim == 2][-1].shape[1]
    labels = np.arange(len(x)) % width
    driver.rng.shuffle(labels)
    return np.eye(width)[labels]


def _compare(driver, key, value, grads, loss) -> None:
    name = f"grads[{key!r}]"
    received = grads.get(key) if isinstance(grads, dict) else None
    if received is None:
        driver.checked.append(name)
        driver.findings.append(Finding(name, "not_written"))
        return
    flat = value.reshape(-1)  # a view: the layers see each perturbation
    chosen = np.arange(flat.size)
    if flat.size > FULL:
        chosen = np.sort(driver.rng.choice(flat.size, SAMPLED, replace=False))
    step = driver.step
    expected = np.zeros(chosen.size)
    for j, i in enumerate(chosen):
        kept = flat[i]
        flat[i] = kept + step
        up = loss()
        flat[i] = kept - step
        down = loss()
        flat[i] = kept
        expected[j] = (up - down) / (2 * step)
    received = np.asarray(received, dtype=np.float64)
    if received.shape == value.shape:
        received, expected = received.reshape(-1)[chosen], expected
        if flat.size <= FULL:
            received, expected = received.reshape(value.shape), expected.reshape(value.shape)
    driver.record(name, received, expected)
    decay = _decay(driver.obj)
    wrong = driver.findings[-1] if driver.findings and driver.findings[-1].name == name else None
    if wrong is not None and decay and np.shape(received) == np.shape(expected):
        with_decay = received + decay * np.asarray(value, dtype=np.float64).reshape(-1)[
            chosen
        ].reshape(np.shape(received))
        if np.allclose(with_decay, expected, rtol=1e-3, atol=1e-7):
            driver.findings[-1] = Finding(name, "net_no_weight_decay", found=(f"{decay:g}",))


def _decay(obj) -> float:
    """The weight-decay coefficient the net's loss adds, under the textbook's names."""
    for name in ("weight_decay_lambda", "weight_decay", "wd", "l2"):
        value = probe.attr(obj, name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value:
            return float(value)
    return 0.0
