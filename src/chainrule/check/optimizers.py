"""An optimizer class with ``update(params, grads)``: several steps against the update rule.

The student's object is stepped on a dict of four float64 parameters with seeded gradients and
compared, step by step, with the rule its class name (or ``like=``) names, using the
hyperparameters read from the object itself (``lr``, ``momentum``, ``beta1``...). When the
steps disagree, the same run is replayed under the classic mistakes (no bias correction, eps
inside the square root, one state for all parameters...) and the one that matches is named.
Two parameters share a shape, so that one state shared between parameters changes the numbers
instead of raising; one has gradients of 1e-4, so that where eps is added shows.
"""

from __future__ import annotations

import copy
import inspect

import numpy as np

from . import probe
from .optim_rules import KINDS, accepted, mistakes, simulate
from .result import Finding

STEPS = 4
SHAPES = {"W1": (2, 2), "b1": (2,), "W2": (2, 2), "b2": (2,)}
EPSILONS = (1e-7, 1e-8, 1e-10, 1e-6, 1e-5)  # what students write when the class has no eps
_NAMES = {
    "lr": ("lr", "learning_rate", "eta", "alpha"),
    "momentum": ("momentum", "mu", "beta", "gamma"),
    "beta1": ("beta1", "beta_1", "b1"),
    "beta2": ("beta2", "beta_2", "b2"),
    "decay": ("decay_rate", "decay", "rho", "alpha", "beta"),
    "eps": ("eps", "epsilon", "delta"),
    "weight_decay": ("weight_decay", "weight_decay_lambda", "wd", "l2"),
}
_DEFAULTS = {"lr": 0.01, "momentum": 0.9, "beta1": 0.9, "beta2": 0.999, "decay": 0.99}


def is_optimizer(obj) -> bool:
    """update(params, grads) and no forward: the textbook's SGD, Momentum, ..., Adam."""
    try:
        if probe.has(obj, "forward") or not probe.has(obj, "update"):
            return False
        update = probe.attr(obj, "update")
    except probe.AttributeRaised:
        return False
    try:
        signature = inspect.signature(update)
    except (TypeError, ValueError):
        return False
    positional = [
        p
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name != "self"
    ]
    return len(positional) >= 2


def kind_of(obj, like: str | None) -> str | None:
    """SGD, Momentum, Nesterov, AdaGrad, RMSprop or Adam, from like= or the class's name."""
    name = (like or probe.name_of(obj)).lower()
    for kind in ("Nesterov", "AdaGrad", "RMSprop", "Adam", "Momentum", "SGD"):
        if kind.lower() in name:
            if kind == "SGD" and _number(obj, "momentum"):
                return "Nesterov" if probe.attr(obj, "nesterov") is True else "Momentum"
            return kind
    return None


def hyperparameters(obj, kind: str) -> dict:
    """What the student's object holds: an attribute under any usual name, else the textbook's default."""
    found = {key: _first(obj, names) for key, names in _NAMES.items()}
    betas = probe.attr(obj, "betas")
    if isinstance(betas, (tuple, list)) and len(betas) == 2:
        found["beta1"], found["beta2"] = (float(b) for b in betas)
    if kind == "RMSprop" and probe.has(obj, "alpha") and _first(obj, _NAMES["lr"][:3]) is not None:
        found["lr"] = _first(obj, _NAMES["lr"][:3])  # torch's RMSprop names its decay alpha
    elif kind != "RMSprop":
        found["decay"] = None
    hyper = {key: (_DEFAULTS.get(key) if value is None else value) for key, value in found.items()}
    hyper["weight_decay"] = hyper["weight_decay"] or 0.0
    return hyper


def check_optimizer(driver, obj, like: str | None) -> None:
    kind = kind_of(obj, like)
    driver.checked.append("update")
    rng = driver.rng
    start = {name: rng.standard_normal(shape) for name, shape in SHAPES.items()}
    grads = [
        {
            name: rng.standard_normal(shape) * (1e-4 if name == "b2" else 1.0)
            for name, shape in SHAPES.items()
        }
        for _ in range(STEPS)
    ]
    got = _run(driver, obj, start, grads)
    if got is None:
        return
    if kind is None:  # it ran: only which rule it means is unknown
        driver.findings.append(Finding("update", "optim_unknown", found=KINDS))
        return
    hyper = hyperparameters(obj, kind)
    epsilons = (hyper["eps"],) if hyper["eps"] is not None else EPSILONS
    if any(
        _matches(got, simulate(kind, hyper, eps, start, grads, v), start)
        for v, eps in _each(accepted(kind), epsilons)
    ):
        driver.checked[-1:] = [f"params[{name!r}]" for name in SHAPES]
        return
    right = simulate(kind, hyper, epsilons[0], start, grads, accepted(kind)[0])
    diagnosis = _likely(kind, hyper, epsilons, start, grads, got, right)
    driver.checked[-1:] = [f"params[{name!r}]" for name in SHAPES]
    read = ", ".join(
        f"{key}={value:g}"
        for key, value in hyper.items()
        if value is not None and (_used(kind, key) or key == "weight_decay" and value)
    )
    for name in SHAPES:
        finding = _first_wrong(name, start, got, right, diagnosis, kind, read)
        if finding is not None:
            driver.findings.append(finding)


def _run(driver, obj, start, grads) -> list[dict] | None:
    """The student's params after each step; the object is a copy, so the caller's keeps its state."""
    try:
        obj = copy.deepcopy(obj)
    except probe.STUDENT_ERRORS:
        pass  # an object that cannot be copied is stepped as it is
    params = {name: value.copy() for name, value in start.items()}
    after = []
    for step in grads:
        try:
            returned = probe.attr(obj, "update")(params, {n: g.copy() for n, g in step.items()})
        except probe.STUDENT_ERRORS as error:
            driver.fail("update", error, probe.attr(obj, "update"), (params, step))
            return None
        if isinstance(returned, dict) and set(returned) == set(SHAPES):
            params = (
                returned  # new params handed back (params = opt.update(params, grads)): also right
            )
        try:
            after.append({n: np.array(params[n], dtype=np.float64) for n in SHAPES})
        except (KeyError, TypeError, ValueError):
            driver.findings.append(Finding("update", "optim_lost_params"))
            return None
    return after


def _each(variants, epsilons):
    return [(v, eps) for v in variants for eps in epsilons]


def _matches(got, expected, start) -> bool:
    """Within 1e-3 of each step's size: float32 arithmetic passes, a wrong eps placement does not."""
    for g, e, before in zip(got, expected, [start, *expected]):
        for name in SHAPES:
            if g[name].shape != e[name].shape:
                return False
            scale = np.abs(e[name]).max() * 1e-6 + 1e-12
            if not np.all(
                np.abs(g[name] - e[name]) <= 1e-3 * np.abs(e[name] - before[name]) + scale
            ):
                return False
    return True


def _likely(kind, hyper, epsilons, start, grads, got, right) -> str:
    """The classic mistake whose run matches the student's, else a pattern in how the steps differ."""
    for variant in mistakes(kind, hyper):
        for eps in epsilons:
            if _matches(got, simulate(kind, hyper, eps, start, grads, variant), start):
                return "optim_" + variant
    if not all(np.isfinite(g[n]).all() for g in got for n in SHAPES):
        return "not_finite"
    moved = _steps(got, start)
    meant = _steps(right, start)
    if not any(np.any(m) for m in moved):
        return "optim_static"
    ratios = [np.dot(m, e) / np.dot(e, e) for m, e in zip(moved, meant)]
    if all(np.allclose(m, r * e, rtol=1e-3, atol=1e-12) for m, e, r in zip(moved, meant, ratios)):
        if np.allclose(ratios, -1.0, rtol=1e-3):
            return "optim_uphill"
        return "optim_factor" if np.allclose(ratios, ratios[0], rtol=1e-3) else "optim_lr_changes"
    return "optim_wrong"


def _steps(trajectory, start) -> list[np.ndarray]:
    """Each step's move of all parameters, flattened into one vector."""
    return [
        np.concatenate([(now[n] - before[n]).ravel() for n in SHAPES])
        for now, before in zip(trajectory, [start, *trajectory])
    ]


def _used(kind: str, key: str) -> bool:
    """The hyperparameters a rule reads, shown so the student sees which values it was run with."""
    reads = {"Momentum": ("momentum",), "Nesterov": ("momentum",), "RMSprop": ("decay",)}
    return key in ("lr", "eps") or key in reads.get(
        kind, ("beta1", "beta2") if kind == "Adam" else ()
    )


def _first_wrong(name, start, got, right, diagnosis, kind, read="") -> Finding | None:
    for t in range(len(got)):
        g, e = got[t][name], right[t][name]
        previous = got[t - 1][name] if t else start[name]
        wrong = ~(np.abs(g - e) <= 1e-3 * np.abs(e - previous) + 1e-12)  # NaN is wrong too
        if g.shape == e.shape and not wrong.any():
            continue
        if g.shape != e.shape:
            return Finding(f"params[{name!r}]", diagnosis, step=t + 1, owner=kind, found=(read,))
        index = np.unravel_index(int(np.argmax(np.abs(g - e))), g.shape)
        return Finding(
            f"params[{name!r}]",
            diagnosis,
            step=t + 1,
            owner=kind,
            found=(read,),
            n_wrong=int(wrong.sum()),
            n_total=g.size,
            worst_index=tuple(int(i) for i in index),
            worst_expected=float(e[index]),
            worst_received=float(g[index]),
        )
    return None


def _first(obj, names):
    for name in names:
        value = _number(obj, name)
        if value is not None:
            return value
    return None


def _number(obj, name):
    value = probe.attr(obj, name)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        return None
    return float(value)
