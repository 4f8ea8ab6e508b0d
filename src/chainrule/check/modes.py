"""Layers with a mode flag (``forward(x, train_flg=True)``) and layers that draw at random (Dropout).

A random layer cannot be compared with finite differences as it is: every forward draws a new
mask. So while it is checked, its random state (NumPy's global generator, which the textbook's
``np.random.rand`` uses, and any Generator or RandomState it holds) is put back before every
forward: each call makes the same draw, the derivatives are those of that one mask, and a
backward that uses the mask forward kept is right. The student's random state is put back as it
was when the check ends. Test mode is then held to what training mode gives on average.
"""

from __future__ import annotations

import contextlib
import inspect
import random

import numpy as np

from . import probe
from .reference import as_array
from .result import Finding

FLAGS = ("train_flg", "train", "training", "is_train", "is_training", "train_mode")
DRAWS = 1000  # training-mode calls whose mean test mode must match: its standard error is ~1.5%


def mode_flag(forward) -> str | None:
    """The name of forward's training-mode argument, when it has one with a default."""
    try:
        parameters = inspect.signature(forward).parameters.values()
    except (TypeError, ValueError):
        return None
    for p in parameters:
        if p.default is not p.empty and (p.name in FLAGS or "train" in p.name.lower()):
            return p.name
    return None


def _generators(obj) -> list:
    return [
        value
        for value in probe.state(obj).values()
        if isinstance(value, (np.random.Generator, np.random.RandomState))
    ]


def snapshot(obj) -> list:
    """Every random state the student's layer may draw from, to be put back as it was."""
    states = [(None, np.random.get_state()), (random, random.getstate())]
    for generator in _generators(obj):
        if isinstance(generator, np.random.Generator):
            states.append((generator, generator.bit_generator.state))
        else:
            states.append((generator, generator.get_state()))
    return states


def restore(states: list) -> None:
    for generator, state in states:
        if generator is None:
            np.random.set_state(state)
        elif generator is random:  # Python's own random.random() < p, as some Dropouts draw
            random.setstate(state)
        elif isinstance(generator, np.random.Generator):
            generator.bit_generator.state = state
        else:
            generator.set_state(state)


@contextlib.contextmanager
def driven(obj, x: np.ndarray):
    """Install a forward that passes train_flg=True and, for a random layer, replays one draw.

    Yields (flag, random, original forward); both are undone on leaving, the student's random
    state included.
    """
    original = probe.attr(obj, "forward")
    flag = mode_flag(original)
    kept = snapshot(obj)
    random = False
    if flag is not None or hasattr(obj, "__dict__"):
        random = _is_random(original, x, flag, kept)
        restore(kept)
    if not hasattr(obj, "__dict__") or (flag is None and not random):
        yield flag, random, original
        return

    def forward(x, *rest):
        if random:
            restore(kept)
        return original(x, *rest, **({flag: True} if flag else {}))

    previous = vars(obj).get("forward")  # check(layer) may have put __call__ there as forward
    vars(obj)["forward"] = forward
    try:
        yield flag, random, original
    finally:
        if previous is None:
            vars(obj).pop("forward", None)
        else:
            vars(obj)["forward"] = previous
        restore(kept)


def is_random(obj, x: np.ndarray) -> bool:
    """Whether the layer draws at random in training mode; its random state is put back."""
    forward = probe.attr(obj, "forward")
    kept = snapshot(obj)
    try:
        return _is_random(forward, x, mode_flag(forward), kept)
    finally:
        restore(kept)


def _is_random(forward, x, flag, kept) -> bool:
    """Training-mode calls on the same inputs that differ: a random layer. Eight calls, since two
    masks over five inputs agree one time in 32."""
    options = {flag: True} if flag else {}
    try:
        answers = [forward(x.copy(), **options) for _ in range(8)]
        if any(answer is None for answer in answers):
            return False  # a blank: reported as such by the usual check
        answers = [as_array(answer) for answer in answers]
    except probe.STUDENT_ERRORS:
        return False
    if any(answer.dtype.kind not in "fiub" for answer in answers):
        return False
    if not any(
        answer.shape == answers[0].shape and not np.array_equal(answer, answers[0], equal_nan=True)
        for answer in answers[1:]
    ):
        return False
    # a forward that adds to what its last call left differs too: only a random one replays
    try:
        replays = []
        for _ in range(2):
            restore(kept)
            replays.append(as_array(forward(x.copy(), **options)))
    except probe.STUDENT_ERRORS:
        return True
    return np.array_equal(replays[0], replays[1], equal_nan=True)


def random_backward(driver, obj, x: np.ndarray) -> None:
    """A backward that draws its own mask gives two answers after one forward: name that."""
    # two answers after one forward read as backward_remembers until the draw is seen here
    driver.findings[:] = [f for f in driver.findings if f.diagnosis != "backward_remembers"]
    finding = next((f for f in driver.findings if f.name == "backward"), None)
    if finding is None or finding.diagnosis in ("raised", "not_written"):
        return
    upstream = np.ones_like(as_array(probe.attr(obj, "forward")(x.copy())))
    try:  # eight calls, as in _is_random
        answers = [as_array(obj.backward(upstream.copy())) for _ in range(8)]
    except probe.STUDENT_ERRORS:
        return
    if any(not np.array_equal(answers[0], other) for other in answers[1:]):
        index = driver.findings.index(finding)
        driver.findings[index] = Finding("backward", "random_backward")


def test_mode(driver, original, x: np.ndarray, flag: str) -> None:
    """Test mode must be deterministic and equal, on average, to training mode."""
    name = f"forward({flag}=False)"
    kept = snapshot(driver.obj)
    try:
        tests = [as_array(original(x.copy(), **{flag: False})) for _ in range(8)]
        gains = [_gain(as_array(original(x.copy(), **{flag: True})), x) for _ in range(DRAWS)]
    except probe.STUDENT_ERRORS as error:
        driver.fail(name, error, original, (x.copy(),))
        return
    finally:
        restore(kept)
    driver.checked.append(name)
    if any(not np.array_equal(tests[0], other) for other in tests[1:]):
        driver.findings.append(Finding(name, "test_random", owner=flag))
        return
    train, spread = float(np.mean(gains)), float(np.std(gains)) / np.sqrt(DRAWS)
    test = _gain(tests[0], x)
    if abs(test - train) > max(6 * spread, 1e-6 * abs(train)):
        driver.findings.append(
            Finding(
                name,
                "test_scale",
                owner=flag,
                factor=round(train, 2),
                worst_received=round(test, 2),
            )
        )


def _gain(y: np.ndarray, x: np.ndarray) -> float:
    """The c in y = c x that fits best: a mask's keep rate times its scale, on average."""
    if y.shape != x.shape:
        return float("nan")
    return float(np.sum(y * x) / np.sum(x * x))
