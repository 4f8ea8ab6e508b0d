"""LR schedulers stepped inside a CPUGraph capture (the third adversary's part d): each replay
steps them as an eager step would, and their state_dict, the groups' lr and momentum, and the
optimizer's state after replays equal those of eager steps; a tensor metric for
ReduceLROnPlateau is a GraphError at capture."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule.errors import GraphError
from chainrule.optim import lr_scheduler as L
from tests.cpugraph.replay_harness import _OPTIMIZERS, _assert_same, _param

_SCHEDULERS = {
    "StepLR": lambda o: L.StepLR(o, 2, 0.5),
    "ExponentialLR": lambda o: L.ExponentialLR(o, 0.9),
    "CosineAnnealingLR": lambda o: L.CosineAnnealingLR(o, 4),
    "ReduceLROnPlateau": lambda o: L.ReduceLROnPlateau(o, patience=1),
    "CosineAnnealingWarmRestarts": lambda o: L.CosineAnnealingWarmRestarts(o, 2, T_mult=2),
    "OneCycleLR": lambda o: L.OneCycleLR(o, 0.5, total_steps=10),
    "OneCycleLR3": lambda o: L.OneCycleLR(o, 0.5, total_steps=10, three_phase=True),
    "SequentialLR": lambda o: L.SequentialLR(
        o, [L.LinearLR(o, 0.1, total_iters=2), L.ExponentialLR(o, 0.9)], [2]
    ),
    "MultiStepLR": lambda o: L.MultiStepLR(o, [1, 3]),
    "LambdaLR": lambda o: L.LambdaLR(o, lambda e: 1 / (e + 1)),
    "MultiplicativeLR": lambda o: L.MultiplicativeLR(o, lambda e: 0.9),
    "LinearLR": lambda o: L.LinearLR(o),
    "ConstantLR": lambda o: L.ConstantLR(o),
    "PolynomialLR": lambda o: L.PolynomialLR(o, total_iters=4),
}


def _plain(value):
    """A scheduler's or group's entries as comparable text (callables by name only)."""
    if callable(value):
        return getattr(value, "__qualname__", type(value).__name__)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "params"}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@pytest.mark.parametrize("optimizer", ["sgd_momentum", "adam"])
@pytest.mark.parametrize("name", sorted(_SCHEDULERS))
def test_d_every_scheduler_stepped_inside_the_capture(name, optimizer):
    def make():
        w, x = _param(), cr.zeros(3)
        opt = _OPTIMIZERS[optimizer]([w])
        scheduler = _SCHEDULERS[name](opt)

        def step():
            opt.zero_grad()
            (w * x).pow(2).sum().backward()
            opt.step()
            if name == "ReduceLROnPlateau":
                scheduler.step(0.5)  # a Python float: the same on every step
            else:
                scheduler.step()

        def watch():
            text = repr([_plain(scheduler.state_dict()), _plain(opt.param_groups)])
            arrays = [np.asarray(v) for s in opt.state.values() for v in s.values()]
            return [w.detach().numpy(), np.array([text]), *arrays]

        return dict(x=x, step=step, watch=watch)

    _assert_same(make, steps=6)


def test_d_plateau_with_a_tensor_metric_is_a_graph_error():
    w = _param()
    opt = cr.optim.SGD([w], lr=0.1)
    scheduler = L.ReduceLROnPlateau(opt)
    with pytest.raises(
        GraphError, match=r"(?s)ReduceLROnPlateau.step: expected a Python number.*sched"
    ):
        with cr.graph(cr.CPUGraph()):
            opt.zero_grad()
            loss = (w * w).sum()
            loss.backward()
            opt.step()
            scheduler.step(loss)
    assert opt.param_groups[0]["lr"] == 0.1


def test_d_two_schedulers_stepped_one_after_the_other():
    def make():
        w, x = _param(), cr.zeros(3)
        opt = cr.optim.SGD([w], lr=0.1)
        warm, decay = L.LinearLR(opt, 0.1, total_iters=3), L.ExponentialLR(opt, 0.9)

        def step():
            opt.zero_grad()
            (w * x).pow(2).sum().backward()
            opt.step()
            warm.step()
            decay.step()

        return dict(
            x=x,
            step=step,
            watch=lambda: [w.detach().numpy(), np.float64(opt.param_groups[0]["lr"])],
        )

    _assert_same(make, steps=6)


def test_d_a_scheduler_constructed_inside_the_step():
    # eager: each step builds a fresh ExponentialLR (its first step sets lr = initial_lr); a
    # replay would not build it again, so the capture refuses it with its reason
    def make():
        w, x = _param(), cr.zeros(3)
        opt = cr.optim.SGD([w], lr=0.1)

        def step():
            L.ExponentialLR(opt, 0.5)
            opt.zero_grad()
            (w * x).pow(2).sum().backward()
            opt.step()

        return dict(
            x=x,
            step=step,
            watch=lambda: [w.detach().numpy(), np.float64(opt.param_groups[0]["lr"])],
        )

    with pytest.raises(GraphError, match="expected a scheduler made before the CPUGraph capture"):
        _assert_same(make)
