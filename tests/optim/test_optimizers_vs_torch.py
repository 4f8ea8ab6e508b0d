"""Each optimizer and scheduler, 50 steps on the same small MLP from the same weights as torch."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr
from chainrule import nn, optim
from chainrule.optim import lr_scheduler

pytestmark = [
    pytest.mark.oracle,
    pytest.mark.usefixtures("float64_default"),
]  # these tests check float64 numerics

TOL = dict(rtol=1e-9, atol=1e-11)  # float64 through 50 steps


def _models(seed=0):
    ours = nn.Sequential(
        nn.Linear(4, 8, generator=seed), nn.Tanh(), nn.Linear(8, 3, generator=seed + 1)
    )
    theirs = torch.nn.Sequential(
        torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3)
    ).double()
    with torch.no_grad():
        for p, tp in zip(ours.parameters(), theirs.parameters()):
            tp.copy_(torch.tensor(p.detach().numpy()))
    return ours, theirs


def _data():
    rng = np.random.default_rng(7)
    return rng.standard_normal((16, 4)), rng.integers(0, 3, 16)


OPTIMIZERS = {
    "sgd": (lambda p: optim.SGD(p, lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    "sgd_momentum": (
        lambda p: optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=1e-3),
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=1e-3),
    ),
    "sgd_nesterov": (
        lambda p: optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
    ),
    "adam": (lambda p: optim.Adam(p, lr=1e-2), lambda p: torch.optim.Adam(p, lr=1e-2)),
    "adam_wd_amsgrad": (
        lambda p: optim.Adam(p, lr=1e-2, weight_decay=1e-2, amsgrad=True),
        lambda p: torch.optim.Adam(p, lr=1e-2, weight_decay=1e-2, amsgrad=True),
    ),
    "adamw": (lambda p: optim.AdamW(p, lr=1e-2), lambda p: torch.optim.AdamW(p, lr=1e-2)),
    "rmsprop": (lambda p: optim.RMSprop(p, lr=1e-2), lambda p: torch.optim.RMSprop(p, lr=1e-2)),
    "rmsprop_centered_momentum": (
        lambda p: optim.RMSprop(p, lr=1e-3, momentum=0.9, centered=True, weight_decay=1e-3),
        lambda p: torch.optim.RMSprop(p, lr=1e-3, momentum=0.9, centered=True, weight_decay=1e-3),
    ),
    "adagrad": (
        lambda p: optim.Adagrad(p, lr=0.05, lr_decay=1e-3, initial_accumulator_value=0.1),
        lambda p: torch.optim.Adagrad(p, lr=0.05, lr_decay=1e-3, initial_accumulator_value=0.1),
    ),
}

SCHEDULERS = {
    "none": (None, None),
    "step": (
        lambda o: lr_scheduler.StepLR(o, step_size=10, gamma=0.5),
        lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=10, gamma=0.5),
    ),
    "exponential": (
        lambda o: lr_scheduler.ExponentialLR(o, gamma=0.95),
        lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.95),
    ),
    "cosine": (
        lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=20, eta_min=1e-3),
        lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=20, eta_min=1e-3),
    ),
    "plateau": (
        lambda o: lr_scheduler.ReduceLROnPlateau(o, factor=0.5, patience=2, threshold=0.05),
        lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(
            o, factor=0.5, patience=2, threshold=0.05
        ),
    ),
}


def _train(opt_pair, sched_pair, steps=50, clip=None):
    ours, theirs = _models()
    x, y = _data()
    opt_a, opt_b = opt_pair[0](ours.parameters()), opt_pair[1](theirs.parameters())
    sch_a = sched_pair[0](opt_a) if sched_pair[0] else None
    sch_b = sched_pair[1](opt_b) if sched_pair[1] else None
    loss_a_fn, loss_b_fn = nn.CrossEntropyLoss(), torch.nn.CrossEntropyLoss()
    for _ in range(steps):
        opt_a.zero_grad()
        opt_b.zero_grad()
        loss_a = loss_a_fn(ours(cr.tensor(x)), y)
        loss_b = loss_b_fn(theirs(torch.tensor(x)), torch.tensor(y))
        loss_a.backward()
        loss_b.backward()
        if clip:
            norm_a = nn.utils.clip_grad_norm_(ours.parameters(), clip)
            norm_b = torch.nn.utils.clip_grad_norm_(theirs.parameters(), clip)
            assert norm_a == pytest.approx(float(norm_b), rel=1e-9)
        opt_a.step()
        opt_b.step()
        if sch_a is not None:
            if isinstance(sch_a, lr_scheduler.ReduceLROnPlateau):
                sch_a.step(loss_a.item())
                sch_b.step(loss_b.item())
            else:
                sch_a.step()
                sch_b.step()
            assert sch_a.get_last_lr() == pytest.approx(sch_b.get_last_lr(), rel=1e-12)
    return ours, theirs, loss_a.item(), loss_b.item()


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_matches_torch_over_50_steps(name):
    ours, theirs, la, lb = _train(OPTIMIZERS[name], SCHEDULERS["none"])
    assert la == pytest.approx(lb, rel=1e-9)
    for p, tp in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.data, tp.detach().numpy(), **TOL)


@pytest.mark.parametrize("name", sorted(set(SCHEDULERS) - {"none"}))
def test_scheduler_matches_torch_over_50_steps(name):
    ours, theirs, la, lb = _train(OPTIMIZERS["sgd_momentum"], SCHEDULERS[name])
    for p, tp in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.data, tp.detach().numpy(), **TOL)


def test_clip_grad_norm_matches_torch_during_training():
    ours, theirs, _, _ = _train(OPTIMIZERS["sgd"], SCHEDULERS["none"], steps=20, clip=0.5)
    for p, tp in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.data, tp.detach().numpy(), **TOL)


def test_clip_grad_value_clamps_in_place():
    p = nn.Parameter(np.zeros(4))
    p.grad = cr.tensor(np.array([-3.0, -0.1, 0.2, 5.0]))
    nn.utils.clip_grad_value_([p], 1.0)
    np.testing.assert_array_equal(p.grad, [-1.0, -0.1, 0.2, 1.0])


@pytest.mark.parametrize("name", ["sgd_momentum", "adam", "rmsprop_centered_momentum", "adagrad"])
def test_optimizer_state_dict_resumes_exactly(name):
    make = OPTIMIZERS[name][0]
    x, y = _data()

    def run(model, opt, steps):
        for _ in range(steps):
            opt.zero_grad()
            nn.CrossEntropyLoss()(model(cr.tensor(x)), y).backward()
            opt.step()

    straight, _ = _models()
    opt = make(straight.parameters())
    run(straight, opt, 20)

    first, _ = _models()
    opt1 = make(first.parameters())
    run(first, opt1, 10)
    second, _ = _models(seed=9)
    second.load_state_dict(first.state_dict())
    opt2 = make(second.parameters())
    opt2.load_state_dict(opt1.state_dict())
    run(second, opt2, 10)
    for a, b in zip(straight.parameters(), second.parameters()):
        np.testing.assert_array_equal(a.data, b.data)


def test_float32_model_stays_float32_through_every_optimizer():
    for make, _ in OPTIMIZERS.values():
        model = nn.Linear(3, 2, dtype=np.float32, generator=0)
        opt = make(model.parameters())
        for _ in range(2):
            opt.zero_grad()
            loss = nn.CrossEntropyLoss()(
                model(cr.randn(5, 3, dtype=np.float32, generator=1)), np.array([0, 1, 0, 1, 1])
            )
            loss.backward()
            assert all(p.grad.dtype == np.float32 for p in model.parameters())
            opt.step()
        assert all(p.dtype == np.float32 for p in model.parameters())
        for state in opt.state.values():
            for value in state.values():
                if isinstance(value, np.ndarray):
                    assert value.dtype == np.float32


def test_bad_hyperparameters_are_named():
    params = list(nn.Linear(2, 1).parameters())
    with pytest.raises(ValueError, match=r"SGD: expected a finite learning rate lr >= 0, got -0.1"):
        optim.SGD(params, lr=-0.1)
    with pytest.raises(ValueError, match=r"Adam: expected a finite learning rate lr >= 0, got nan"):
        optim.Adam(params, lr=float("nan"))
    with pytest.raises(ValueError, match="StepLR: expected an Optimizer"):
        lr_scheduler.StepLR(None, step_size=3)
    with pytest.raises(ValueError, match="SGD: expected a non-empty list of parameters"):
        optim.SGD([], lr=0.1)
