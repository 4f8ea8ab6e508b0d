"""CyclicLR against torch: lr and momentum (or Adam's beta1) each step, per param group."""

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule.errors import ArgumentError


def _trace(lib, optimizer_name, kwargs, steps=30, groups=1):
    params = [{"params": [lib.zeros(2, requires_grad=True)]} for _ in range(groups)]
    extra = {"momentum": 0.9} if optimizer_name == "SGD" else {}
    optimizer = getattr(lib.optim, optimizer_name)(params, lr=0.5, **extra)
    scheduler = lib.optim.lr_scheduler.CyclicLR(optimizer, **kwargs)
    rows = []
    for _ in range(steps):
        optimizer.step()
        scheduler.step()
        for group in optimizer.param_groups:
            momentum = group["betas"][0] if "betas" in group else group.get("momentum", 0.0)
            rows.append((group["lr"], momentum))
    return np.array(rows), scheduler


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4},
        {
            "base_lr": 0.01,
            "max_lr": 0.1,
            "step_size_up": 3,
            "step_size_down": 7,
            "mode": "triangular2",
        },
        {"base_lr": 0.001, "max_lr": 0.05, "step_size_up": 5, "mode": "exp_range", "gamma": 0.95},
        {
            "base_lr": 0.01,
            "max_lr": 0.1,
            "step_size_up": 2,
            "scale_fn": lambda x: 0.5**x,
            "scale_mode": "iterations",
        },
        {
            "base_lr": [0.01, 0.02],
            "max_lr": [0.1, 0.3],
            "step_size_up": 3,
            "base_momentum": [0.7, 0.8],
            "max_momentum": 0.95,
        },
        {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4, "cycle_momentum": False},
    ],
)
@pytest.mark.parametrize("optimizer_name", ["SGD", "Adam"])
def test_cyclic_lr_matches_torch(kwargs, optimizer_name):
    groups = 2 if isinstance(kwargs["base_lr"], list) else 1
    ours, _ = _trace(cr, optimizer_name, kwargs, groups=groups)
    theirs, _ = _trace(torch, optimizer_name, kwargs, groups=groups)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


def test_cyclic_lr_state_dict_resumes():
    kwargs = {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3, "mode": "triangular2"}
    full, _ = _trace(cr, "SGD", kwargs, steps=12)
    first, scheduler = _trace(cr, "SGD", kwargs, steps=5)
    state = scheduler.state_dict()
    assert state["_scale_fn_custom"] is None and "optimizer" not in state
    optimizer = cr.optim.SGD([cr.zeros(2, requires_grad=True)], lr=0.5, momentum=0.9)
    resumed = cr.optim.lr_scheduler.CyclicLR(optimizer, **kwargs)
    resumed.load_state_dict(state)
    lrs = []
    for _ in range(7):
        resumed.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    np.testing.assert_allclose(lrs, full[5:, 0], rtol=1e-12)


def test_cyclic_lr_errors():
    sgd = cr.optim.SGD([cr.zeros(1, requires_grad=True)], lr=0.1)
    with pytest.raises(ArgumentError, match="mode one of"):
        cr.optim.lr_scheduler.CyclicLR(sgd, 0.01, 0.1, mode="sine")
    with pytest.raises(ArgumentError, match="1 values of max_lr"):
        cr.optim.lr_scheduler.CyclicLR(sgd, 0.01, [0.1, 0.2])
    adagrad = cr.optim.Adagrad([cr.zeros(1, requires_grad=True)], lr=0.1)
    with pytest.raises(ArgumentError, match="momentum or betas"):
        cr.optim.lr_scheduler.CyclicLR(adagrad, 0.01, 0.1)
    with pytest.raises(ValueError):
        torch.optim.lr_scheduler.CyclicLR(
            torch.optim.Adagrad([torch.zeros(1, requires_grad=True)]), 0.01, 0.1
        )
    cr.optim.lr_scheduler.CyclicLR(adagrad, 0.01, 0.1, cycle_momentum=False)
