"""Schedulers step as torch's do, to the last bit: the recursive forms, so that two schedulers on
one optimizer compose (torch's documented chaining) and an lr changed by hand carries on; the
closed forms for step(epoch); state dicts that move between the two libraries."""

import math
import warnings

import pytest
import torch

import chainrule as cr


def _s(lib):
    return lib.optim.lr_scheduler


CASES = {
    "docs_chaining": lambda lib, o: [
        _s(lib).ExponentialLR(o, gamma=0.9),
        _s(lib).MultiStepLR(o, milestones=[3, 6], gamma=0.1),
    ],
    "step": lambda lib, o: [_s(lib).StepLR(o, 3, 0.5)],
    "multistep_repeated": lambda lib, o: [_s(lib).MultiStepLR(o, [2, 2, 5], 0.5)],
    "exponential": lambda lib, o: [_s(lib).ExponentialLR(o, 0.93)],
    "cosine": lambda lib, o: [_s(lib).CosineAnnealingLR(o, 7, 0.001)],
    "linear": lambda lib, o: [_s(lib).LinearLR(o, 0.25, 1.0, 6)],
    "constant": lambda lib, o: [_s(lib).ConstantLR(o, 0.5, 4)],
    "polynomial": lambda lib, o: [_s(lib).PolynomialLR(o, 10, 2.0)],
    "lambda": lambda lib, o: [_s(lib).LambdaLR(o, lambda e: 0.95**e)],
    "multiplicative": lambda lib, o: [_s(lib).MultiplicativeLR(o, lambda e: 0.95)],
    "warmup_then_cosine_both_stepped": lambda lib, o: [
        _s(lib).LinearLR(o, 0.1, 1.0, 5),
        _s(lib).CosineAnnealingLR(o, 20),
    ],
    "chained": lambda lib, o: [
        _s(lib).ChainedScheduler([_s(lib).ConstantLR(o, 0.5, 4), _s(lib).ExponentialLR(o, 0.9)])
    ],
    "chained_with_cosine": lambda lib, o: [
        _s(lib).ChainedScheduler(
            [_s(lib).LinearLR(o, 0.2, 1.0, 3), _s(lib).CosineAnnealingLR(o, 9)]
        )
    ],
    "sequential": lambda lib, o: [
        _s(lib).SequentialLR(
            o, [_s(lib).LinearLR(o, 0.1, 1.0, 5), _s(lib).CosineAnnealingLR(o, 20)], [5]
        )
    ],
    "onecycle": lambda lib, o: [_s(lib).OneCycleLR(o, 0.5, total_steps=30)],
    "cyclic": lambda lib, o: [_s(lib).CyclicLR(o, 0.01, 0.1, step_size_up=4)],
    "warm_restarts": lambda lib, o: [_s(lib).CosineAnnealingWarmRestarts(o, 3, 2, 0.001)],
    "swa": lambda lib, o: [lib.optim.swa_utils.SWALR(o, 0.05, anneal_epochs=3)],
}


def _run(lib, make, steps=25, by_hand_at=None, epochs=None):
    optimizer = lib.optim.SGD(lib.nn.Linear(2, 2).parameters(), lr=0.1, momentum=0.9)
    schedulers = make(lib, optimizer)
    lrs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch's epoch-argument deprecation
        for step in range(steps):
            optimizer.step()
            for scheduler in schedulers:
                scheduler.step() if epochs is None else scheduler.step(epochs(step))
            if step == by_hand_at:
                for group in optimizer.param_groups:
                    group["lr"] *= 10
            lrs.append(optimizer.param_groups[0]["lr"])
    return lrs, [s.get_last_lr() for s in schedulers], optimizer


@pytest.mark.parametrize("by_hand_at", [None, 4], ids=["plain", "lr_changed_by_hand"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_every_step_gives_torchs_lr_to_the_last_bit(name, by_hand_at):
    ours, theirs = (
        _run(cr, CASES[name], by_hand_at=by_hand_at),
        _run(torch, CASES[name], by_hand_at=by_hand_at),
    )
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]
    assert ours[2].param_groups[0]["momentum"] == theirs[2].param_groups[0]["momentum"]


def test_warm_restarts_take_fractional_epochs_per_batch_as_torchs_docs_show():
    fractions = lambda step: step / 3  # noqa: E731
    ours = _run(cr, CASES["warm_restarts"], 20, epochs=fractions)
    theirs = _run(torch, CASES["warm_restarts"], 20, epochs=fractions)
    assert ours[0] == theirs[0]


@pytest.mark.parametrize(
    "name",
    ["step", "multistep_repeated", "exponential", "cosine", "linear", "constant", "polynomial"],
)
def test_step_with_an_epoch_jumps_by_the_closed_form_and_warns_as_torch(name):
    results = []
    for lib in (cr, torch):
        optimizer = lib.optim.SGD(lib.nn.Linear(2, 2).parameters(), lr=0.1)
        (scheduler,) = CASES[name](lib, optimizer)
        optimizer.step()
        with pytest.warns(UserWarning, match="epoch parameter"):
            scheduler.step(7)
        results.append((optimizer.param_groups[0]["lr"], scheduler.last_epoch))
    assert results[0] == results[1]


@pytest.mark.parametrize("name", sorted(CASES))
def test_state_dicts_move_between_torch_and_chainrule_mid_schedule(name):
    def built(lib):
        optimizer = lib.optim.SGD(lib.nn.Linear(2, 2).parameters(), lr=0.1, momentum=0.9)
        return optimizer, CASES[name](lib, optimizer)

    for source, target in ((torch, cr), (cr, torch)):
        optimizer, schedulers = built(source)
        for _ in range(5):
            optimizer.step()
            for scheduler in schedulers:
                scheduler.step()
        resumed_optimizer, resumed = built(target)
        resumed_optimizer.load_state_dict(optimizer.state_dict())
        for mine, saved in zip(resumed, schedulers):
            mine.load_state_dict(saved.state_dict())
        for _ in range(5):
            for lib_optimizer, lib_schedulers in (
                (optimizer, schedulers),
                (resumed_optimizer, resumed),
            ):
                lib_optimizer.step()
                for scheduler in lib_schedulers:
                    scheduler.step()
        assert math.isclose(
            resumed_optimizer.param_groups[0]["lr"], optimizer.param_groups[0]["lr"], rel_tol=1e-12
        ), (source.__name__, target.__name__)


def test_get_lr_outside_step_warns_as_torch():
    for lib in (cr, torch):
        optimizer = lib.optim.SGD(lib.nn.Linear(2, 2).parameters(), lr=0.1)
        scheduler = lib.optim.lr_scheduler.StepLR(optimizer, 2)
        with pytest.warns(UserWarning, match="get_last_lr"):
            scheduler.get_lr()


def test_resuming_with_last_epoch_needs_the_saved_initial_lr_as_torch():
    for lib in (cr, torch):
        optimizer = lib.optim.SGD(lib.nn.Linear(2, 2).parameters(), lr=0.1)
        with pytest.raises(KeyError):
            lib.optim.lr_scheduler.StepLR(optimizer, 2, last_epoch=3)


def test_chained_and_sequential_refuse_plateau_and_other_optimizers():
    optimizer = cr.optim.SGD(cr.nn.Linear(2, 2).parameters(), lr=0.1)
    other = cr.optim.SGD(cr.nn.Linear(2, 2).parameters(), lr=0.1)
    plateau = cr.optim.lr_scheduler.ReduceLROnPlateau(optimizer)
    step = cr.optim.lr_scheduler.StepLR(other, 2)
    for bad in ([plateau], [step]):
        with pytest.raises(ValueError, match="ChainedScheduler"):
            cr.optim.lr_scheduler.ChainedScheduler(bad, optimizer)
    with pytest.raises(ValueError, match="SequentialLR"):
        cr.optim.lr_scheduler.SequentialLR(optimizer, [step], [])
