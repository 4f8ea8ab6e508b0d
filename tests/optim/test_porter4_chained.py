"""ChainedScheduler multiplies its schedulers' factors, as torch's recursive forms do."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from chainrule import nn, optim

pytestmark = pytest.mark.oracle


def _lrs(library, make, steps=12):
    weight = library.zeros(2, requires_grad=True)
    optimizer = library.optim.SGD([weight], lr=0.2)
    scheduler = make(library.optim.lr_scheduler, optimizer)
    lrs = [optimizer.param_groups[0]["lr"]]
    for _ in range(steps):
        optimizer.step()
        scheduler.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    return np.array(lrs)


CHAINS = {
    "constant_exponential": lambda s, o: s.ChainedScheduler(
        [s.ConstantLR(o, factor=0.1, total_iters=2), s.ExponentialLR(o, gamma=0.9)]
    ),
    "linear_multistep": lambda s, o: s.ChainedScheduler(
        [s.LinearLR(o, start_factor=0.25, total_iters=4), s.MultiStepLR(o, milestones=[3, 8])],
        optimizer=o,
    ),
    "step_polynomial": lambda s, o: s.ChainedScheduler(
        [s.StepLR(o, step_size=3, gamma=0.5), s.PolynomialLR(o, total_iters=10, power=2.0)]
    ),
}


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_chained_lr_matches_torch(name):
    import chainrule

    np.testing.assert_allclose(
        _lrs(chainrule, CHAINS[name]), _lrs(torch, CHAINS[name]), rtol=1e-12, atol=1e-15
    )


def test_chained_takes_a_schedule_that_sets_the_lr_as_torch():
    lrs = []
    for lib in (optim, torch.optim):
        weight = nn.Parameter(np.zeros(2)) if lib is optim else torch.nn.Parameter(torch.zeros(2))
        optimizer = lib.SGD([weight], lr=0.1)
        chained = lib.lr_scheduler.ChainedScheduler(
            [lib.lr_scheduler.CosineAnnealingLR(optimizer, T_max=5)]
        )
        for _ in range(6):
            optimizer.step()
            chained.step()
        lrs.append(chained.get_last_lr())
    assert lrs[0] == lrs[1]
