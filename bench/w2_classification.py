"""W2: the notebook's classification. 900x2, linear + sigmoid + BCE (and BCE-with-logits),
1000 full-batch GD steps at lr 1."""

import numpy as np
import torch

import chainrule as cr
from _loops import run_graph, run_steps
from chainrule.data import make_fuzzy_boundary, split_in_order

STEPS, LR = 1000, 1.0
NAME = "W2 classification: 900x2 linear + sigmoid + BCE, 1000 GD steps"
NAME_LOGITS = "W2 classification, BCE-with-logits"


def setup():
    X, T = make_fuzzy_boundary()
    X_train, _, T_train, _ = split_in_order(X, T)
    theta0 = np.random.default_rng(123).random((1, 3)).astype(np.float32)
    return X_train.astype(np.float32), T_train.astype(np.float32), theta0


def numpy_run(X, T, theta0, logits):
    w, b = theta0[:, 1:].copy(), theta0[:, 0].copy()
    n = len(X)
    for _ in range(STEPS):
        z = X @ w.T + b
        p = 1.0 / (1.0 + np.exp(-z))
        if logits:
            loss = np.mean(np.maximum(z, 0) - z * T + np.log1p(np.exp(-np.abs(z))))
            grad_z = (p - T) / n
        else:
            loss = -np.mean(T * np.log(p) + (1 - T) * np.log1p(-p))
            grad_p = (p - T) / (p * (1 - p)) / n
            grad_z = grad_p * p * (1 - p)
        w -= LR * (grad_z.T @ X)
        b -= LR * grad_z.sum(axis=0)
    return float(loss)


def chainrule_run(X, T, theta0, logits, loop=run_steps):
    linear = cr.nn.Linear(2, 1, dtype=np.float32)
    linear.weight.data[...] = theta0[:, 1:]
    linear.bias.data[...] = theta0[:, 0]
    model = linear if logits else cr.nn.Sequential(linear, cr.nn.Sigmoid())
    loss_fn = cr.nn.BCEWithLogitsLoss() if logits else cr.nn.BCELoss()
    optimizer = cr.optim.SGD(model.parameters(), lr=LR)
    if loop is run_graph:
        return run_graph(cr, model, loss_fn, optimizer, [(X, T)] * STEPS)
    return run_steps(model, loss_fn, optimizer, [(cr.Tensor(X), T)] * STEPS)


def torch_run(X, T, theta0, logits):
    linear = torch.nn.Linear(2, 1)
    with torch.no_grad():
        linear.weight.copy_(torch.from_numpy(theta0[:, 1:].copy()))
        linear.bias.copy_(torch.from_numpy(theta0[:, 0].copy()))
    model = linear if logits else torch.nn.Sequential(linear, torch.nn.Sigmoid())
    loss_fn = torch.nn.BCEWithLogitsLoss() if logits else torch.nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    return run_steps(
        model, loss_fn, optimizer, [(torch.from_numpy(X), torch.from_numpy(T))] * STEPS
    )


def candidates(logits=False):
    data = setup()
    return {
        "numpy": lambda: numpy_run(*data, logits),
        "chainrule": lambda: chainrule_run(*data, logits),
        "torch": lambda: torch_run(*data, logits),
        "cpugraph": lambda: chainrule_run(*data, logits, loop=run_graph),
    }
