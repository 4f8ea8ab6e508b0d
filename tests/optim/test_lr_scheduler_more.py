"""MultiStepLR, LambdaLR, MultiplicativeLR, LinearLR, ConstantLR, PolynomialLR,
CosineAnnealingWarmRestarts, OneCycleLR and SequentialLR against torch, step by step."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402

pytestmark = pytest.mark.oracle

SCHEDULES = {
    "multistep": lambda s, o: s.MultiStepLR(o, milestones=[4, 2, 4], gamma=0.5),
    "lambda": lambda s, o: s.LambdaLR(o, lr_lambda=[lambda e: 1 / (e + 1), lambda e: 0.9**e]),
    "multiplicative": lambda s, o: s.MultiplicativeLR(o, lr_lambda=lambda e: 0.8),
    "linear": lambda s, o: s.LinearLR(o, start_factor=0.2, end_factor=0.9, total_iters=5),
    "linear_default": lambda s, o: s.LinearLR(o),
    "constant": lambda s, o: s.ConstantLR(o, factor=0.25, total_iters=4),
    "polynomial": lambda s, o: s.PolynomialLR(o, total_iters=7, power=0.5),
    "warm_restarts": lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.01),
    "warm_restarts_1": lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=4),
    "onecycle": lambda s, o: s.OneCycleLR(o, max_lr=[1.0, 0.5], total_steps=16),
    "onecycle_linear_3phase": lambda s, o: s.OneCycleLR(
        o, max_lr=0.8, epochs=4, steps_per_epoch=4, anneal_strategy="linear", three_phase=True
    ),
    "sequential": lambda s, o: s.SequentialLR(
        o,
        schedulers=[s.LinearLR(o, start_factor=0.1, total_iters=3), s.StepLR(o, 2, gamma=0.5)],
        milestones=[4],
    ),
}


def _trace(lib, make, optimizer_name):
    params = [lib.nn.Parameter(lib.zeros(2)), lib.nn.Parameter(lib.zeros(1))]
    if optimizer_name == "sgd":
        optimizer = lib.optim.SGD(
            [{"params": params[:1]}, {"params": params[1:], "lr": 0.05}], lr=0.1, momentum=0.9
        )
    else:
        optimizer = lib.optim.Adam([{"params": params[:1]}, {"params": params[1:], "lr": 0.05}])
    scheduler = make(lib.optim.lr_scheduler, optimizer)
    seen = []
    for _ in range(16):
        group = optimizer.param_groups
        seen.append([g["lr"] for g in group])
        seen.append([g.get("momentum", g.get("betas", (0,))[0]) for g in group])
        optimizer.step()
        scheduler.step()
    return np.array(seen), scheduler.get_last_lr()


@pytest.mark.parametrize("optimizer_name", ["sgd", "adam"])
@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_schedule_matches_torch_step_by_step(name, optimizer_name):
    ours, ours_last = _trace(cr, SCHEDULES[name], optimizer_name)
    theirs, theirs_last = _trace(torch, SCHEDULES[name], optimizer_name)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours_last, theirs_last, rtol=1e-9, atol=1e-12)


def test_lambda_state_dict_leaves_the_functions_out():
    optimizer = cr.optim.SGD([cr.nn.Parameter(cr.zeros(1))], lr=0.1)
    state = cr.optim.lr_scheduler.LambdaLR(optimizer, lambda e: 1.0).state_dict()
    assert state["lr_lambdas"] == [None] and state["last_epoch"] == 0  # torch's layout


def test_schedule_errors_name_the_scheduler_and_the_value():
    optimizer = cr.optim.SGD([cr.nn.Parameter(cr.zeros(1))], lr=0.1)
    s = cr.optim.lr_scheduler
    with pytest.raises(ValueError, match=r"OneCycleLR: expected total_steps, or epochs"):
        s.OneCycleLR(optimizer, max_lr=1.0)
    cycle = s.OneCycleLR(optimizer, max_lr=1.0, total_steps=2)
    cycle.step()
    cycle.step()
    with pytest.raises(ValueError, match=r"OneCycleLR.step: expected at most total_steps=2"):
        cycle.step()
    with pytest.raises(ValueError, match=r"LinearLR: expected start_factor in \(0, 1\]"):
        s.LinearLR(optimizer, start_factor=0)
    with pytest.raises(ValueError, match=r"LambdaLR: expected 1 lr_lambda functions"):
        s.LambdaLR(optimizer, [lambda e: 1, lambda e: 2])
    with pytest.raises(ValueError, match=r"SequentialLR: expected 1 milestones for 2 schedulers"):
        s.SequentialLR(optimizer, [s.ConstantLR(optimizer), s.ConstantLR(optimizer)], [])
    with pytest.raises(ValueError, match="CosineAnnealingWarmRestarts: expected an integer T_0"):
        s.CosineAnnealingWarmRestarts(optimizer, T_0=0)
