"""The new optimizers and CyclicLR inside a CPUGraph capture: replays equal eager steps bit for
bit (an optimizer's step replays its eager update loop). LBFGS's refusal is in
test_optim2_lbfgs.py."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule.optim import lr_scheduler as L
from tests.cpugraph.replay_harness import _assert_same, _param

_OPTIMIZERS = {
    "nadam": lambda p: cr.optim.NAdam(p, lr=0.1, weight_decay=0.1),
    "nadam_decoupled": lambda p: cr.optim.NAdam(
        p, lr=0.1, weight_decay=0.1, decoupled_weight_decay=True
    ),
    "radam": lambda p: cr.optim.RAdam(p, lr=0.1, maximize=True),
    "adamax": lambda p: cr.optim.Adamax(p, lr=0.1, weight_decay=0.1),
    "adadelta": lambda p: cr.optim.Adadelta(p, lr=1.0),
    "rprop": lambda p: cr.optim.Rprop(p, lr=0.1),
    "asgd": lambda p: cr.optim.ASGD(p, lr=0.1, t0=2),
}


def _make(optimizer, scheduler=None):
    def make():
        w, u, x = _param(), _param((1.0, 2.0, 3.0)), cr.zeros(3)
        opt = _OPTIMIZERS[optimizer]([{"params": [w]}, {"params": [u], "lr": 0.05}])
        sched = scheduler(opt) if scheduler else None

        def step():
            opt.zero_grad()
            ((w * x).pow(2).sum() + (u * x).sin().sum()).backward()
            opt.step()
            if sched is not None:
                sched.step()

        def watch():
            states = [np.asarray(v) for s in opt.state.values() for v in s.values()]
            groups = repr([{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups])
            return [w.detach().numpy(), u.detach().numpy(), np.array([groups]), *states]

        return dict(x=x, step=step, watch=watch)

    return make


@pytest.mark.parametrize("optimizer", sorted(_OPTIMIZERS))
def test_replays_equal_eager_steps(optimizer):
    _assert_same(_make(optimizer), steps=8)


@pytest.mark.parametrize("optimizer", ["nadam", "radam", "adamax"])
def test_cyclic_lr_stepped_inside_the_capture(optimizer):
    def cyclic(opt):
        return L.CyclicLR(opt, 0.01, 0.1, step_size_up=2, mode="triangular2")

    _assert_same(_make(optimizer, cyclic), steps=8)
