"""Optimizer.load_state_dict on hostile state dicts: refused at load time (not at the next
step()) with who, the key, expected and got, and with the optimizer left as it was."""

import copy
import math

import numpy as np
import pytest

from chainrule import nn, optim


def _stepped(make, steps=2):
    weight = nn.Parameter(np.array([1.0, -2.0, 3.0], dtype=np.float32))
    optimizer = make([weight])
    for _ in range(steps):
        optimizer.zero_grad()
        (weight * weight).sum().backward()
        optimizer.step()
    return weight, optimizer


OPTIMIZERS = {
    "SGD": lambda p: optim.SGD(p, lr=0.1, momentum=0.9),
    "Adam": lambda p: optim.Adam(p, lr=0.1),
    "AdamW": lambda p: optim.AdamW(p, lr=0.1, amsgrad=True),
    "RMSprop": lambda p: optim.RMSprop(p, lr=0.1, momentum=0.5, centered=True),
    "Adagrad": lambda p: optim.Adagrad(p, lr=0.1),
}


def _snapshot(optimizer):
    return copy.deepcopy(optimizer.param_groups[0] | {"params": None}), copy.deepcopy(
        optimizer.state
    )


def _assert_unchanged(optimizer, before):
    groups, state = _snapshot(optimizer)
    assert groups == before[0] and state.keys() == before[1].keys()
    for key, entries in state.items():
        assert entries.keys() == before[1][key].keys()
        for name, value in entries.items():
            np.testing.assert_array_equal(value, before[1][key][name])


def _refused(make, change, error, pattern):
    weight, optimizer = _stepped(make)
    state = optimizer.state_dict()
    state["param_groups"][0]["lr"] = 0.5  # would be applied first if the load were not atomic
    change(state)
    before, values = _snapshot(optimizer), weight.detach().numpy().copy()
    with pytest.raises(error, match=pattern):
        optimizer.load_state_dict(state)
    _assert_unchanged(optimizer, before)
    np.testing.assert_array_equal(weight.detach().numpy(), values)


def _set_state(name, value):
    def change(state):
        state["state"][0][name] = value

    return change


def _drop_state(name):
    return lambda state: state["state"][0].pop(name)


ADAM = OPTIMIZERS["Adam"]
CASES = {
    "param_groups int": (
        ADAM,
        lambda s: s.update(param_groups=3),
        TypeError,
        r"^Adam\.load_state_dict: expected param_groups as a list of dicts, got int\.",
    ),
    "group without params": (
        ADAM,
        lambda s: s["param_groups"][0].pop("params"),
        TypeError,
        r"^Adam\.load_state_dict: expected param_groups\[0\] as a dict with a 'params' list, got dict\.",
    ),
    "state key 'x'": (
        ADAM,
        lambda s: s["state"].update(x=s["state"].pop(0)),
        ValueError,
        r"^Adam\.load_state_dict: expected state keyed by the parameter ids \[0\], got 'x'\.",
    ),
    "state key 7": (
        ADAM,
        lambda s: s["state"].update({7: s["state"].pop(0)}),
        ValueError,
        r"^Adam\.load_state_dict: expected state for the parameter ids \[0\], got state for 7\.",
    ),
    "state {0: 5}": (
        ADAM,
        lambda s: s.update(state={0: 5}),
        TypeError,
        r"^Adam\.load_state_dict: expected the state of parameter 0 as a dict of named entries, got int\.",
    ),
    "state not a dict": (
        ADAM,
        lambda s: s.update(state=[1]),
        TypeError,
        r"^Adam\.load_state_dict: expected state as a dict from parameter ids to dicts, got list\.",
    ),
    "step '1'": (
        ADAM,
        _set_state("step", "1"),
        ValueError,
        r"^Adam\.load_state_dict: expected state 'step' of parameter 0 as a whole number >= 0, got str '1'\.",
    ),
    "step -5": (ADAM, _set_state("step", -5), ValueError, r"'step' .*got int -5\."),
    "step nan": (ADAM, _set_state("step", math.nan), ValueError, r"'step' .*got float nan\."),
    "step 1.5": (ADAM, _set_state("step", 1.5), ValueError, r"'step' .*got float 1\.5\."),
    "step True": (ADAM, _set_state("step", True), ValueError, r"'step' .*got bool True\."),
    "missing exp_avg": (
        ADAM,
        _drop_state("exp_avg"),
        ValueError,
        r"^Adam\.load_state_dict: expected the state of parameter 0 with the entries \['step', "
        r"'exp_avg', 'exp_avg_sq'\] \(or none, before the first step\), got missing entries "
        r"\['exp_avg'\]\.\nHint: ",
    ),
    "list exp_avg": (
        ADAM,
        _set_state("exp_avg", [0.0, 0.0, 0.0]),
        TypeError,
        r"^Adam\.load_state_dict: expected state 'exp_avg' of parameter 0 as an array, got list\.",
    ),
    "exp_avg shape": (
        ADAM,
        _set_state("exp_avg", np.zeros(4, dtype=np.float32)),
        ValueError,
        r"^Adam\.load_state_dict: expected state 'exp_avg' of parameter 0 with the parameter's "
        r"shape \(3,\), got \(4,\)\.",
    ),
    "exp_avg dtype": (
        ADAM,
        _set_state("exp_avg", np.zeros(3, dtype=np.complex64)),
        TypeError,
        r"^Adam\.load_state_dict: expected state 'exp_avg' of parameter 0 as a floating-point "
        r"array, got dtype complex64\.",
    ),
    "exp_avg strings": (
        ADAM,
        _set_state("exp_avg", np.array(["a", "b", "c"])),
        TypeError,
        r"'exp_avg' .*as a floating-point array, got dtype <U1\.",
    ),
    "AdamW amsgrad missing max": (
        OPTIMIZERS["AdamW"],
        _drop_state("max_exp_avg_sq"),
        ValueError,
        r"^AdamW\.load_state_dict: .*got missing entries \['max_exp_avg_sq'\]",
    ),
    "SGD momentum_buffer list": (
        OPTIMIZERS["SGD"],
        _set_state("momentum_buffer", [1.0, 2.0, 3.0]),
        TypeError,
        r"^SGD\.load_state_dict: expected state 'momentum_buffer' of parameter 0 as an array, got list\.",
    ),
    "SGD momentum_buffer shape": (
        OPTIMIZERS["SGD"],
        _set_state("momentum_buffer", np.zeros((3, 1))),
        ValueError,
        r"'momentum_buffer' .*shape \(3,\), got \(3, 1\)\.",
    ),
    "RMSprop missing grad_avg": (
        OPTIMIZERS["RMSprop"],
        _drop_state("grad_avg"),
        ValueError,
        r"^RMSprop\.load_state_dict: .*got missing entries \['grad_avg'\]",
    ),
    "RMSprop step nan": (
        OPTIMIZERS["RMSprop"],
        _set_state("step", math.nan),
        ValueError,
        r"^RMSprop\.load_state_dict: expected state 'step'",
    ),
    "Adagrad sum of ints": (
        OPTIMIZERS["Adagrad"],
        _set_state("sum", np.zeros(3, dtype=np.int64)),
        TypeError,
        r"^Adagrad\.load_state_dict: expected state 'sum' of parameter 0 as a floating-point "
        r"array, got dtype int64\.",
    ),
    "Adagrad unexpected entry": (
        OPTIMIZERS["Adagrad"],
        _set_state("exp_avg", np.zeros(3, dtype=np.float32)),
        ValueError,
        r"^Adagrad\.load_state_dict: .*got unexpected entries \['exp_avg'\]",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_refused_at_load_time_with_nothing_changed(case):
    _refused(*CASES[case])


def test_an_sgd_state_loaded_into_adam_is_refused_naming_the_missing_entries():
    _, sgd = _stepped(OPTIMIZERS["SGD"])
    weight, adam = _stepped(ADAM)
    state = sgd.state_dict()
    state["param_groups"][0] = adam.state_dict()["param_groups"][0]
    before = _snapshot(adam)
    with pytest.raises(
        ValueError,
        match=r"^Adam\.load_state_dict: expected the state of parameter 0 with the entries "
        r"\['step', 'exp_avg', 'exp_avg_sq'\] \(or none, before the first step\), got missing "
        r"entries \['step', 'exp_avg', 'exp_avg_sq'\]; unexpected entries \['momentum_buffer'\]\."
        r"\nHint: the state dict comes from another optimizer",
    ):
        adam.load_state_dict(state)
    _assert_unchanged(adam, before)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_round_trip_still_loads_and_steps(name):
    weight, optimizer = _stepped(OPTIMIZERS[name])
    state = optimizer.state_dict()
    other = OPTIMIZERS[name]([weight])
    other.load_state_dict(state)
    other.zero_grad()
    (weight * weight).sum().backward()
    other.step()
    assert np.isfinite(weight.detach().numpy()).all()


def test_a_whole_float_step_and_string_ids_are_read_as_integers():
    weight, optimizer = _stepped(ADAM)
    state = optimizer.state_dict()
    state["state"] = {"0": dict(state["state"][0], step=np.array(2.0))}
    optimizer.load_state_dict(state)
    assert optimizer.state[id(weight)]["step"] == 2


def test_an_empty_state_means_not_stepped_yet_and_sgd_takes_torchs_none_buffer():
    weight, adam = _stepped(ADAM)
    state = adam.state_dict()
    state["state"] = {0: {}}
    adam.load_state_dict(state)
    assert adam.state[id(weight)] == {}
    weight, sgd = _stepped(lambda p: optim.SGD(p, lr=0.1))
    state = sgd.state_dict()
    state["state"] = {0: {"momentum_buffer": None}}
    sgd.load_state_dict(state)
    sgd.zero_grad()
    (weight * weight).sum().backward()
    sgd.step()
