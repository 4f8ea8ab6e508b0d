"""W1: the notebook's regression. 10 points, [1, x] @ theta, MSE, 100 full-batch GD steps, lr 0.1."""

import numpy as np
import torch

import chainrule as cr
from _loops import run_steps
from chainrule.data import make_line, with_ones_column

STEPS, LR = 100, 0.1
NAME = "W1 regression: 10x2 linear + MSE, 100 GD steps"


def setup():
    x, y = make_line()
    X = with_ones_column(x).astype(np.float32)
    Y = y.astype(np.float32)
    theta0 = np.random.default_rng(123).random((1, 2)).astype(np.float32)
    return X, Y, theta0


def numpy_run(X, Y, theta0):
    theta = theta0.copy()
    n = len(X)
    for _ in range(STEPS):
        diff = X @ theta.T - Y
        loss = np.mean(diff * diff)
        grad = (2.0 / n) * diff
        theta -= LR * (grad.T @ X)
    return float(loss)


def chainrule_run(X, Y, theta0):
    model = cr.nn.Linear(2, 1, bias=False, dtype=np.float32)
    model.weight.data[...] = theta0
    optimizer = cr.optim.SGD(model.parameters(), lr=LR)
    loss_fn = cr.nn.MSELoss()
    return run_steps(model, loss_fn, optimizer, [(cr.Tensor(X), Y)] * STEPS)


def torch_run(X, Y, theta0):
    model = torch.nn.Linear(2, 1, bias=False)
    with torch.no_grad():
        model.weight.copy_(torch.from_numpy(theta0))
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.MSELoss()
    return run_steps(
        model, loss_fn, optimizer, [(torch.from_numpy(X), torch.from_numpy(Y))] * STEPS
    )


def candidates():
    data = setup()
    return {
        "numpy": lambda: numpy_run(*data),
        "chainrule": lambda: chainrule_run(*data),
        "torch": lambda: torch_run(*data),
    }
