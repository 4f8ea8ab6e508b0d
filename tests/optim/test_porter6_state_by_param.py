"""optimizer.state indexed by the parameter, as torch code reads it (found by program p59, which
evaluates ASGD's averaged iterate as ``optimizer.state[p]["ax"]``)."""

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")


def _stepped(lib, make):
    w = lib.nn.Parameter(lib.tensor([1.0, -2.0, 3.0]))
    optimizer = make(lib, w)
    for _ in range(3):
        optimizer.zero_grad()
        (w**2).sum().backward()
        optimizer.step()
    return w, optimizer


@pytest.mark.parametrize(
    "make, entry",
    [
        (lambda lib, w: lib.optim.ASGD([w], lr=0.1, t0=1), "ax"),
        (lambda lib, w: lib.optim.Adam([w], lr=0.1), "exp_avg_sq"),
        (lambda lib, w: lib.optim.SGD([w], lr=0.1, momentum=0.9), "momentum_buffer"),
        (lambda lib, w: lib.optim.Rprop([w], lr=0.1), "step_size"),
    ],
)
def test_state_entry_by_parameter_matches_torch(make, entry):
    (w_ours, ours), (w_theirs, theirs) = _stepped(chainrule, make), _stepped(torch, make)
    assert w_ours in ours.state and w_theirs in theirs.state
    np.testing.assert_allclose(
        ours.state[w_ours][entry].numpy(), theirs.state[w_theirs][entry].numpy(), rtol=1e-6
    )
    assert set(ours.state[w_ours]) == set(theirs.state[w_theirs])
    assert ours.state.get(chainrule.zeros(1)) is None


def test_state_entries_share_memory_and_accept_writes():
    w, optimizer = _stepped(chainrule, lambda lib, w: lib.optim.Adam([w], lr=0.1))
    state = optimizer.state[w]
    state["exp_avg"].zero_()  # in place, as torch code resets a buffer
    assert not optimizer.state[w]["exp_avg"].numpy().any()
    state["exp_avg"] = chainrule.ones(3)
    np.testing.assert_array_equal(optimizer.state[w]["exp_avg"].numpy(), np.ones(3))
    optimizer.step()  # the update loop still finds its arrays


def test_state_by_parameter_survives_load_state_dict():
    w, optimizer = _stepped(chainrule, lambda lib, w: lib.optim.ASGD([w], lr=0.1))
    saved = optimizer.state_dict()
    fresh = chainrule.optim.ASGD([w], lr=0.1)
    fresh.load_state_dict(saved)
    np.testing.assert_array_equal(fresh.state[w]["ax"].numpy(), optimizer.state[w]["ax"].numpy())
    lbfgs = chainrule.optim.LBFGS([w])
    lbfgs.step(lambda: (w**2).sum().backward() or (w**2).sum())
    lbfgs.load_state_dict(lbfgs.state_dict())
    assert w in lbfgs.state


def _momentum(lib):
    class Momentum(lib.optim.Optimizer):
        def __init__(self, params, lr=0.1):
            super().__init__(params, {"lr": lr})

        @lib.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    state = self.state[p]
                    if len(state) == 0:
                        state["buf"] = lib.zeros_like(p)
                        state["calls"] = 0
                    state["calls"] += 1
                    state["buf"].mul_(0.9).add_(p.grad)
                    p.add_(state["buf"], alpha=-group["lr"])

    return Momentum


def test_custom_optimizer_fills_state_on_first_use_as_torch():
    """torch's state is a defaultdict(dict): subclasses write ``state = self.state[p]`` and fill
    it when empty; the entries they store come back as they were stored."""
    results = []
    for lib in (chainrule, torch):
        w = lib.nn.Parameter(lib.tensor([1.0, -2.0]))
        optimizer = _momentum(lib)([w])
        for _ in range(3):
            optimizer.zero_grad()
            (w**2).sum().backward()
            optimizer.step()
        results.append((w.detach().numpy(), optimizer.state[w]["buf"].numpy()))
        assert optimizer.state[w]["calls"] == 3 and len(optimizer.state) == 1
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-6)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-6)
