"""The one rule for every optimizer and LR-scheduler hyperparameter, checked where it is set.

Optimizers check each parameter group when it is added and again when a state dict is loaded;
schedulers check their arguments when they are built. The rules are torch's, made strict where
torch lets a value through that can only make the parameters NaN or the training climb (a NaN
lr, RMSprop's alpha above 1, a scheduler gamma <= 0, StepLR's step_size 0): chainrule refuses
those too. The command line uses the same rules, so ``lr = 0`` is legal everywhere, as in torch.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from .._checks import fail_value, message
from ..autograd.tensor import Tensor
from ..errors import ArgumentTypeError

_REAL = (int, float, np.integer, np.floating)


def _real(value: Any) -> bool:
    return isinstance(value, _REAL) and not isinstance(value, bool) and math.isfinite(value)


def _integer(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _at_least(low: float) -> Callable[[Any], bool]:
    return lambda v: _real(v) and v >= low


def _between(low: float, high: float, high_open: bool = False) -> Callable[[Any], bool]:
    return lambda v: _real(v) and low <= v and (v < high if high_open else v <= high)


def _betas(value: Any) -> bool:
    return (
        isinstance(value, (tuple, list, np.ndarray))
        and len(value) == 2
        and all(_between(0.0, 1.0, high_open=True)(b) for b in value)
    )


def _etas(value: Any) -> bool:
    return _pair(value) and 0 < value[0] < 1 < value[1]


def _step_sizes(value: Any) -> bool:
    return _pair(value) and 0 <= value[0] <= value[1]


def _pair(value: Any) -> bool:
    return isinstance(value, (tuple, list)) and len(value) == 2 and all(map(_real, value))


def _count(v: Any) -> bool:
    return _integer(v) and v >= 1


# name -> (test, what the message says is expected)
RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "lr": (_at_least(0.0), "a finite learning rate lr >= 0"),
    "momentum": (_at_least(0.0), "momentum >= 0"),
    "dampening": (_between(0.0, 1.0), "dampening in [0, 1]"),
    "weight_decay": (_at_least(0.0), "a finite weight_decay >= 0"),
    "eps": (_at_least(0.0), "a finite eps >= 0"),
    "betas": (_betas, "betas, a pair of numbers each in [0, 1)"),
    "alpha": (_between(0.0, 1.0), "alpha in [0, 1]"),
    "initial_accumulator_value": (_at_least(0.0), "a finite initial_accumulator_value >= 0"),
    "lr_decay": (_at_least(0.0), "a finite lr_decay >= 0"),
    "gamma": (lambda v: _real(v) and v > 0, "a finite gamma > 0"),
    "step_size": (lambda v: _integer(v) and v >= 1, "an integer step_size >= 1"),
    "T_max": (lambda v: _integer(v) and v >= 1, "an integer T_max >= 1"),
    "eta_min": (_at_least(0.0), "a finite eta_min >= 0"),
    "last_epoch": (lambda v: _integer(v) and v >= -1, "an integer last_epoch >= -1"),
    "factor": (_between(0.0, 1.0, high_open=True), "factor in [0, 1)"),
    "patience": (lambda v: _integer(v) and v >= 0, "an integer patience >= 0"),
    "cooldown": (lambda v: _integer(v) and v >= 0, "an integer cooldown >= 0"),
    "threshold": (_at_least(0.0), "a finite threshold >= 0"),
    "min_lr": (_at_least(0.0), "a finite min_lr >= 0"),
    "mode": (lambda v: v in ("min", "max"), "mode 'min' or 'max'"),
    # the rest of torch.optim (optim2): NAdam, Adadelta, Rprop, ASGD, LBFGS
    "momentum_decay": (_at_least(0.0), "a finite momentum_decay >= 0"),
    "rho": (_between(0.0, 1.0), "rho in [0, 1]"),
    "etas": (_etas, "etas, a pair (etaminus, etaplus) with 0 < etaminus < 1 < etaplus"),
    "step_sizes": (_step_sizes, "step_sizes, a pair (min, max) with 0 <= min <= max"),
    "lambd": (_at_least(0.0), "a finite lambd >= 0"),
    "t0": (_at_least(0.0), "a finite t0 >= 0"),
    "max_iter": (_count, "an integer max_iter >= 1"),
    "max_eval": (_count, "an integer max_eval >= 1"),
    "history_size": (_count, "an integer history_size >= 1"),
    "tolerance_grad": (_at_least(0.0), "a finite tolerance_grad >= 0"),
    "tolerance_change": (_at_least(0.0), "a finite tolerance_change >= 0"),
    "line_search_fn": (
        lambda v: v in (None, "strong_wolfe"),
        "line_search_fn None or 'strong_wolfe'",
    ),
    "threshold_mode": (lambda v: v in ("rel", "abs"), "threshold_mode 'rel' or 'abs'"),
}

_NOT_NUMBERS = ("mode", "line_search_fn", "threshold_mode", "betas", "etas", "step_sizes")

_HINTS = {
    "lr": "a typical lr is 1e-3 for Adam and 1e-2 to 1e-1 for SGD.",
    "betas": "torch's default is (0.9, 0.999); a beta of 1 never forgets and divides by zero.",
    "alpha": "alpha is the decay of the squared-gradient average; torch's default is 0.99.",
    "step_size": "step_size counts epochs between decays: use 1 to decay every epoch.",
    "gamma": "gamma multiplies the lr; a value <= 0 would make the lr zero or negative.",
}


def check_hyperparameters(who: str, values: dict[str, Any]) -> None:
    """Raise ValueError naming the first value in ``values`` that breaks its rule."""
    for name, value in values.items():
        rule = RULES.get(name)
        if rule is not None and not rule[0](value):
            # torch compares it with a number first: a string or None is its TypeError
            numeric = name not in _NOT_NUMBERS and not isinstance(value, (tuple, list))
            if numeric and not isinstance(value, (int, float, np.number, np.ndarray, Tensor)):
                raise ArgumentTypeError(message(who, rule[1], repr(value), _HINTS.get(name)))
            fail_value(who, rule[1], repr(value), _HINTS.get(name))
    if values.get("nesterov") and not (
        values.get("momentum", 0) > 0 and values.get("dampening", 0) == 0
    ):
        fail_value(
            who,
            "momentum > 0 and dampening = 0 for nesterov=True",
            f"momentum={values.get('momentum')}, dampening={values.get('dampening')}",
        )


NOT_TORCHS = object()  # a kernel keyword this optimizer's torch class does not have


def implementation_options(
    who: str,
    foreach: Any = None,
    fused: Any = NOT_TORCHS,
    capturable: Any = NOT_TORCHS,
    differentiable: bool = False,
) -> dict[str, Any]:
    """torch's keywords that pick a kernel, kept in the groups as torch keeps them (only those
    its class has: Adamax has no ``fused`` key, SGD no ``capturable``).

    foreach, fused and capturable change how torch computes the same step, so code that passes
    them runs unchanged here; differentiable=True (a step that autograd can see through) has no
    equivalent, and is refused rather than silently ignored.
    """
    if differentiable:
        fail_value(
            who,
            "differentiable=False",
            repr(differentiable),
            "chainrule's optimizer steps are not recorded by autograd; drop the argument.",
        )
    options = dict(
        foreach=foreach, fused=fused, capturable=capturable, differentiable=differentiable
    )
    return {key: value for key, value in options.items() if value is not NOT_TORCHS}
