"""LBFGS against torch: the closure protocol, history_size, max_iter, the tolerances, both line
searches, state dicts both ways; and its refusal inside a CPUGraph capture."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr
from chainrule import errors, optim

from .test_optim2_vs_torch import to_torch

pytestmark = [
    pytest.mark.oracle,
    # torch 2.13's own LBFGS.step calls float() on the closure's loss, which warns
    pytest.mark.filterwarnings("ignore:Converting a tensor with requires_grad:UserWarning"),
]

SETTINGS = {
    "plain": dict(lr=0.5, max_iter=5, history_size=3),
    "wolfe": dict(lr=1, max_iter=6, history_size=4, line_search_fn="strong_wolfe"),
    "wolfe_long": dict(line_search_fn="strong_wolfe"),  # the defaults: 20 iterations, 100 pairs
    "tolerant": dict(lr=0.5, max_iter=10, tolerance_grad=1e-3, tolerance_change=1e-4),
}


@pytest.fixture
def float64():
    cr.set_default_dtype(np.float64)
    torch.set_default_dtype(torch.float64)
    yield
    cr.set_default_dtype(np.float32)
    torch.set_default_dtype(torch.float32)


def _problem(lib, dtype=np.float64):
    """A small least-squares fit with a tanh, so the curvature changes as it goes."""
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((20, 3)).astype(dtype), rng.standard_normal(20).astype(dtype)
    w = lib.tensor(rng.standard_normal(3).astype(dtype) * 0.3, requires_grad=True)
    b = lib.tensor(np.zeros(1, dtype), requires_grad=True)
    xs, ys = lib.tensor(x), lib.tensor(y)

    def loss():
        return ((lib.tanh(xs @ w + b) * 2.0 - ys) ** 2).mean()

    return [w, b], loss


def _run(lib, settings, steps, dtype=np.float64, state=None):
    params, loss_fn = _problem(lib, dtype)
    opt = lib.optim.LBFGS(params, **settings)
    calls = [0]

    def closure():
        calls[0] += 1
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        return loss

    losses = [float(opt.step(closure)) for _ in range(steps)]
    return [p.detach().numpy() for p in params], losses, calls[0], opt


@pytest.mark.usefixtures("float64")
@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_lbfgs_matches_torch(name):
    ours, our_losses, our_calls, our_opt = _run(cr, SETTINGS[name], 3)
    theirs, their_losses, their_calls, their_opt = _run(torch, SETTINGS[name], 3)
    assert our_calls == their_calls  # the same closure evaluations: the same decisions
    np.testing.assert_allclose(our_losses, their_losses, rtol=1e-9)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-10)
    mine = our_opt.state_dict()["state"][0]
    torch_state = their_opt.state_dict()["state"][0]
    assert mine.keys() == torch_state.keys()
    assert mine["n_iter"] == torch_state["n_iter"]
    assert mine["func_evals"] == torch_state["func_evals"]
    assert len(mine["old_dirs"]) == len(torch_state["old_dirs"])


def test_lbfgs_float32_stays_float32_and_near_torch():
    ours, _, _, opt = _run(cr, SETTINGS["wolfe"], 2, np.float32)
    theirs, _, _, _ = _run(torch, SETTINGS["wolfe"], 2, np.float32)
    for a, b in zip(ours, theirs):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-4)
    assert opt.state_dict()["state"][0]["d"].dtype == np.float32


@pytest.mark.usefixtures("float64")
@pytest.mark.parametrize("name", ["plain", "wolfe"])
def test_lbfgs_state_dict_both_ways(name):
    """torch's state after 2 steps loads into chainrule, whose state after 1 more loads back
    into torch; the last step matches torch's 4 uninterrupted steps."""
    straight, _, _, _ = _run(torch, SETTINGS[name], 4)
    _, _, _, their_opt = _run(torch, SETTINGS[name], 2)
    params, loss_fn = _problem(cr)
    with cr.no_grad():
        for p, q in zip(params, their_opt.param_groups[0]["params"]):
            p.copy_(cr.tensor(q.detach().numpy()))
    opt = optim.LBFGS(params, **SETTINGS[name])
    opt.load_state_dict(their_opt.state_dict())

    def closure():
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        return loss

    opt.step(closure)
    back_params, back_loss = _problem(torch)
    with torch.no_grad():
        for p, q in zip(back_params, params):
            p.copy_(torch.tensor(q.detach().numpy()))
    back = torch.optim.LBFGS(back_params, **SETTINGS[name])
    saved = opt.state_dict()
    back.load_state_dict({"state": to_torch(saved["state"]), "param_groups": saved["param_groups"]})

    def torch_closure():
        back.zero_grad()
        loss = back_loss()
        loss.backward()
        return loss

    back.step(torch_closure)
    for a, b in zip(back_params, straight):
        np.testing.assert_allclose(a.detach().numpy(), b, rtol=1e-8, atol=1e-10)


def test_lbfgs_refuses_a_state_of_another_shape_and_groups():
    params, _ = _problem(cr)
    opt = optim.LBFGS(params)
    bad = {
        "state": {0: {"d": np.zeros(7), "n_iter": 1}},
        "param_groups": opt.state_dict()["param_groups"],
    }
    with pytest.raises(ValueError, match="flat vectors of the 4 parameter entries"):
        opt.load_state_dict(bad)
    with pytest.raises(ValueError, match="one parameter group"):
        optim.LBFGS([{"params": params[:1]}, {"params": params[1:]}])
    with pytest.raises(ValueError, match="line_search_fn None or 'strong_wolfe'"):
        optim.LBFGS(params, line_search_fn="backtracking")


def test_lbfgs_inside_a_capture_is_refused_with_a_graph_error():
    params, loss_fn = _problem(cr, np.float32)
    opt = optim.LBFGS(params)

    def closure():
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        return loss

    with pytest.raises(errors.GraphError, match="LBFGS.step: expected to run outside a CPUGraph"):
        with cr.graph(cr.CPUGraph()):
            opt.step(closure)
    opt.step(closure)  # eagerly, afterwards, as usual
