"""The update rules check() holds a student's optimizer to, and the classic ways of getting them wrong.

Each rule is torch.optim's (and chainrule.optim's) for the same hyperparameters; the textbook's
Momentum (v = momentum v - lr g; p += v) and Nesterov are the same rules written with v = -lr
buf. Adam is also right in the textbook's form, lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t),
which adds eps to sqrt(v) before the correction instead of after (tests/check/test_optimizers.py
runs every rule against chainrule.optim and torch.optim).
A variant is "bug" or "bug/lr_t": the mistake, in torch's form or the textbook's.
"""

from __future__ import annotations

import numpy as np

KINDS = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam")


def accepted(kind: str) -> tuple[str, ...]:
    """The variants that are right: both forms of Adam, one of everything else."""
    return ("right", "right/lr_t") if kind == "Adam" else ("right",)


def mistakes(kind: str, hyper: dict) -> list[str]:
    """The classic mistakes for this rule, in the order they are tried."""
    found = {
        "SGD": [],
        "Momentum": ["state_shared", "velocity_reset"],
        "Nesterov": ["nesterov_v_new", "nesterov_plain", "state_shared", "velocity_reset"],
        "AdaGrad": ["eps_inside", "not_accumulated", "state_shared"],
        "RMSprop": ["eps_inside", "decay_swapped", "state_shared"],
        "Adam": ["no_bias_correction", "bias_power", "eps_inside", "t_per_param", "state_shared"],
    }[kind]
    if kind == "Adam":
        found = [f"{bug}{form}" for bug in found for form in ("", "/lr_t")]
    if hyper["weight_decay"]:
        found = ["no_weight_decay", "weight_decay_sign", *found]
    return found


def simulate(kind: str, hyper: dict, eps: float, start: dict, grads: list, variant: str) -> list:
    """The parameters after each step of ``grads``, under the rule ``kind`` as ``variant`` writes it."""
    bug, _, form = variant.partition("/")
    params = {name: value.copy() for name, value in start.items()}
    states: dict = {}
    after = []
    for t, step in enumerate(grads, start=1):
        for i, (name, value) in enumerate(params.items()):
            grad = step[name]
            if bug == "weight_decay_sign":
                grad = grad - hyper["weight_decay"] * value
            elif bug != "no_weight_decay":
                grad = grad + hyper["weight_decay"] * value
            # one state for every parameter of the same shape: those of other shapes would raise
            state = states.setdefault(str(value.shape) if bug == "state_shared" else name, {})
            count = (t - 1) * len(params) + i + 1 if bug == "t_per_param" else t
            params[name] = value - _RULES[kind](hyper, eps, grad, state, count, bug, form)
        after.append({name: value.copy() for name, value in params.items()})
    return after


def _sgd(hyper, eps, grad, state, t, bug, form):
    return hyper["lr"] * grad


def _momentum(hyper, eps, grad, state, t, bug, form, nesterov=False):
    velocity = grad if bug == "velocity_reset" else hyper["momentum"] * state.get("v", 0.0) + grad
    state["v"] = velocity
    if nesterov and bug == "nesterov_v_new":  # the textbook's code: mu**2 * v after v's update
        return hyper["lr"] * (hyper["momentum"] ** 2 * velocity + (1 + hyper["momentum"]) * grad)
    if nesterov and bug != "nesterov_plain":
        return hyper["lr"] * (grad + hyper["momentum"] * velocity)
    return hyper["lr"] * velocity


def _nesterov(hyper, eps, grad, state, t, bug, form):
    return _momentum(hyper, eps, grad, state, t, bug, form, nesterov=True)


def _scaled(hyper, eps, grad, h, bug):
    root = np.sqrt(h + eps) if bug == "eps_inside" else np.sqrt(h) + eps
    return hyper["lr"] * grad / root


def _adagrad(hyper, eps, grad, state, t, bug, form):
    state["h"] = grad * grad if bug == "not_accumulated" else state.get("h", 0.0) + grad * grad
    return _scaled(hyper, eps, grad, state["h"], bug)


def _rmsprop(hyper, eps, grad, state, t, bug, form):
    decay = hyper["decay"]
    kept, new = (1 - decay, decay) if bug == "decay_swapped" else (decay, 1 - decay)
    state["h"] = kept * state.get("h", 0.0) + new * grad * grad
    return _scaled(hyper, eps, grad, state["h"], bug)


def _adam(hyper, eps, grad, state, t, bug, form):
    beta1, beta2 = hyper["beta1"], hyper["beta2"]
    state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * grad
    state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * grad * grad
    power = t + 1 if bug == "bias_power" else t
    c1, c2 = (1.0, 1.0) if bug == "no_bias_correction" else (1 - beta1**power, 1 - beta2**power)
    if form == "lr_t":
        lr_t = hyper["lr"] * np.sqrt(c2) / c1
        return _scaled({"lr": lr_t}, eps, state["m"], state["v"], bug)
    return _scaled(hyper, eps, state["m"] / c1, state["v"] / c2, bug)


_RULES = {
    "SGD": _sgd,
    "Momentum": _momentum,
    "Nesterov": _nesterov,
    "AdaGrad": _adagrad,
    "RMSprop": _rmsprop,
    "Adam": _adam,
}
