"""optim.LBFGS against torch: the parameters after each step(closure), with and without the
strong-Wolfe line search, a short history, and the evaluation counts it keeps in its state."""

import numpy as np
import pytest
import torch
from sklearn.datasets import load_breast_cancer

import chainrule as cr
from chainrule.errors import ArgumentError, GraphError


def _rosenbrock(lib, dtype, options, steps=3):
    xy = lib.tensor(np.array([-1.5, 2.0], dtype=dtype), requires_grad=True)
    optimizer = lib.optim.LBFGS([xy], **options)

    def closure():
        optimizer.zero_grad()
        loss = (1 - xy[0]) ** 2 + 100 * (xy[1] - xy[0] ** 2) ** 2
        loss.backward()
        return loss

    trace = []
    for _ in range(steps):
        loss = optimizer.step(closure)
        trace.append([loss.item(), *xy.detach().numpy().tolist()])
    state = optimizer.state[next(iter(optimizer.state))]
    return np.array(trace), state["func_evals"], state["n_iter"]


@pytest.mark.parametrize(
    "options",
    [
        # fixed steps on Rosenbrock's valley amplify last-bit differences (a dot product's
        # summation order) after a few dozen iterations: keep those runs short
        {"max_iter": 6},
        {"lr": 0.5, "max_iter": 7, "history_size": 3},
        {"line_search_fn": "strong_wolfe"},
        {"line_search_fn": "strong_wolfe", "max_iter": 30, "history_size": 5},
    ],
)
def test_lbfgs_rosenbrock_matches_torch_float64(options):
    ours = _rosenbrock(cr, np.float64, options)
    theirs = _rosenbrock(torch, np.float64, options)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-9, atol=1e-12)
    assert ours[1:] == theirs[1:]


def _quadratic(lib, options):
    rng = np.random.default_rng(5)
    m = rng.standard_normal((6, 6))
    a, b = m @ m.T + 6 * np.eye(6), rng.standard_normal(6)
    x = lib.zeros(6, dtype=lib.float64, requires_grad=True)
    optimizer = lib.optim.LBFGS([x], **options)

    def closure():
        optimizer.zero_grad()
        loss = 0.5 * x @ lib.from_numpy(a) @ x - lib.from_numpy(b) @ x
        loss.backward()
        return loss

    losses = [optimizer.step(closure).item() for _ in range(3)]
    state = optimizer.state[next(iter(optimizer.state))]
    return np.array(losses), x.detach().numpy(), state["func_evals"], state["n_iter"]


@pytest.mark.parametrize(
    "options",
    [{}, {"tolerance_change": 1e-4, "max_iter": 50}, {"tolerance_grad": 1e-3, "history_size": 2}],
)
def test_lbfgs_quadratic_matches_torch_and_stops_where_it_does(options):
    ours, theirs = _quadratic(cr, options), _quadratic(torch, options)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-8, atol=1e-10)
    assert ours[2:] == theirs[2:]


def _logistic(lib, options):
    X, y = load_breast_cancer(return_X_y=True)
    X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)[:200]
    inputs, targets = lib.from_numpy(X), lib.from_numpy(y[:200].astype(np.float32))
    model = lib.nn.Linear(30, 1)
    with lib.no_grad():
        model.weight.copy_(lib.from_numpy(np.linspace(-0.1, 0.1, 30, dtype=np.float32)[None]))
        model.bias.zero_()
    optimizer = lib.optim.LBFGS(model.parameters(), **options)

    def closure():
        optimizer.zero_grad()
        loss = lib.nn.functional.binary_cross_entropy_with_logits(model(inputs).squeeze(1), targets)
        loss = loss + 1e-2 * model.weight.pow(2).sum()
        loss.backward()
        return loss

    losses = [optimizer.step(closure).item() for _ in range(4)]
    return np.array(losses), model.weight.detach().numpy()


@pytest.mark.parametrize("options", [{"max_iter": 10}, {"line_search_fn": "strong_wolfe"}])
def test_lbfgs_logistic_regression_matches_torch_float32(options):
    ours, theirs = _logistic(cr, options), _logistic(torch, options)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-3, atol=1e-4)


def test_lbfgs_errors():
    w = cr.zeros(2, requires_grad=True)
    with pytest.raises(ArgumentError, match="line_search_fn None or 'strong_wolfe'"):
        cr.optim.LBFGS([w], line_search_fn="backtracking")
    with pytest.raises(ArgumentError, match="one parameter group"):
        cr.optim.LBFGS([{"params": [w]}, {"params": [cr.zeros(1, requires_grad=True)]}])
    with pytest.raises(ValueError):
        torch.optim.LBFGS(
            [
                {"params": [torch.zeros(1, requires_grad=True)]},
                {"params": [torch.zeros(1, requires_grad=True)]},
            ]
        )
    optimizer = cr.optim.LBFGS([w])
    with pytest.raises(ArgumentError, match="a closure"):
        optimizer.step()
    g = cr.CPUGraph()
    with pytest.raises(GraphError, match="LBFGS.step"), cr.graph(g):
        optimizer.step(lambda: (w * w).sum())
