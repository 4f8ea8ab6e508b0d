"""CyclicLR against torch: its three modes, a scale_fn of the cycle or of the step, cycling SGD's
momentum or Adam's beta1, per-group lists; and its state_dict."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from chainrule import nn, optim
from chainrule.optim import lr_scheduler

pytestmark = pytest.mark.oracle

SETTINGS = {
    "triangular": dict(base_lr=0.01, max_lr=0.1, step_size_up=3),
    "triangular2": dict(
        base_lr=0.01, max_lr=0.1, step_size_up=2, step_size_down=4, mode="triangular2"
    ),
    "exp_range": dict(
        base_lr=[0.01, 0.02], max_lr=[0.1, 0.3], step_size_up=3, mode="exp_range", gamma=0.9
    ),
    "scale_fn_cycle": dict(base_lr=0.01, max_lr=0.1, step_size_up=2, scale_fn=lambda x: 0.5**x),
    "scale_fn_steps": dict(
        base_lr=0.01,
        max_lr=0.1,
        step_size_up=2,
        scale_fn=lambda x: 1 / (1 + x),
        scale_mode="iterations",
    ),
    "no_momentum": dict(base_lr=0.01, max_lr=0.1, step_size_up=3, cycle_momentum=False),
    "momentum_lists": dict(
        base_lr=0.01,
        max_lr=0.1,
        step_size_up=3,
        base_momentum=[0.7, 0.8],
        max_momentum=[0.85, 0.95],
    ),
}


def _groups(lib):
    first = lib.nn.Parameter(lib.zeros(2))
    second = lib.nn.Parameter(lib.zeros(2))
    return [{"params": [first]}, {"params": [second], "lr": 0.5}]


@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_cyclic_lr_matches_torch(name, optimizer):
    extra = {"momentum": 0.5} if optimizer == "SGD" else {}
    ours = getattr(optim, optimizer)(_groups(__import__("chainrule")), lr=0.1, **extra)
    theirs = getattr(torch.optim, optimizer)(_groups(torch), lr=0.1, **extra)
    our_sched = lr_scheduler.CyclicLR(ours, **SETTINGS[name])
    their_sched = torch.optim.lr_scheduler.CyclicLR(theirs, **SETTINGS[name])
    key = "momentum" if optimizer == "SGD" else "betas"
    for _ in range(14):
        for mine, their in zip(ours.param_groups, theirs.param_groups):
            assert mine["lr"] == pytest.approx(their["lr"], rel=1e-12, abs=1e-15)
            assert np.allclose(mine[key], their[key], rtol=1e-12, atol=0)
            for extra_key in ("initial_lr", "base_momentum", "max_momentum"):
                assert mine.get(extra_key) == their.get(extra_key)
        assert our_sched.get_last_lr() == pytest.approx(their_sched.get_last_lr(), rel=1e-12)
        ours.step()
        theirs.step()
        our_sched.step()
        their_sched.step()


def test_cyclic_lr_state_dict_resumes():
    def make():
        opt = optim.SGD([nn.Parameter(np.zeros(2))], lr=0.1, momentum=0.9)
        return opt, lr_scheduler.CyclicLR(opt, 0.01, 0.1, step_size_up=3, mode="triangular2")

    opt, sched = make()
    for _ in range(4):
        sched.step()
    saved = sched.state_dict()
    assert saved["mode"] == "triangular2" and saved["_scale_fn_custom"] is None
    opt2, sched2 = make()
    sched2.load_state_dict(saved)
    for _ in range(5):
        sched.step()
        sched2.step()
        assert opt.param_groups[0]["lr"] == opt2.param_groups[0]["lr"]
        assert opt.param_groups[0]["momentum"] == opt2.param_groups[0]["momentum"]


def test_cyclic_lr_refusals():
    opt = optim.Adagrad([nn.Parameter(np.zeros(2))])
    with pytest.raises(ValueError, match="momentum or betas for cycle_momentum"):
        lr_scheduler.CyclicLR(opt, 0.01, 0.1)
    with pytest.raises(ValueError, match="mode one of"):
        lr_scheduler.CyclicLR(opt, 0.01, 0.1, mode="sine", cycle_momentum=False)
    with pytest.raises(ValueError, match="1 values of max_lr"):
        lr_scheduler.CyclicLR(opt, 0.01, [0.1, 0.2], cycle_momentum=False)
    with pytest.raises(ValueError, match="step_size_up >= 1"):
        lr_scheduler.CyclicLR(opt, 0.01, 0.1, step_size_up=0, cycle_momentum=False)
