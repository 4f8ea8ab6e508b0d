"""W1 written op by op, as the notebook, micrograd and PyTorch's tutorials write it: two scalar
parameters a and b, ``loss = ((a * x + b - y) ** 2).mean()`` on the notebook's ten points,
backward, and SGD by hand under no_grad, 100 steps at lr 0.1. Every step records five ops on
ten-element arrays, so this measures the per-op overhead, not the arithmetic."""

import numpy as np
import torch

import chainrule as cr
from chainrule.data import make_line

STEPS, LR = 100, 0.1
NAME = "W1 op by op: loss = ((a * x + b - y) ** 2).mean(), 10 points, 100 steps"


def setup():
    x, y = make_line()
    a0, b0 = np.random.default_rng(123).random(2).astype(np.float32)
    return x.astype(np.float32).ravel(), y.astype(np.float32).ravel(), a0, b0


def numpy_run(x, y, a0, b0):
    a, b = np.array(a0), np.array(b0)
    n = len(x)
    for _ in range(STEPS):
        diff = a * x + b - y
        loss = np.mean(diff * diff)
        grad_diff = (2.0 / n) * diff
        a -= LR * np.dot(grad_diff, x)
        b -= LR * grad_diff.sum()
    return float(loss)


def _step(lib, a, b, x, y):
    loss = ((a * x + b - y) ** 2).mean()
    loss.backward()
    with lib.no_grad():
        a -= LR * a.grad
        b -= LR * b.grad
        a.grad = None
        b.grad = None
    return loss


def chainrule_run(x, y, a0, b0):
    a, b = cr.tensor(a0, requires_grad=True), cr.tensor(b0, requires_grad=True)
    x, y = cr.tensor(x), cr.tensor(y)
    for _ in range(STEPS):
        loss = _step(cr, a, b, x, y)
    return loss.item()


def graph_run(x, y, a0, b0):
    """The same loop body captured once (that is step 1) and replayed for steps 2..100."""
    a, b = cr.tensor(a0, requires_grad=True), cr.tensor(b0, requires_grad=True)
    x, y = cr.tensor(x), cr.tensor(y)
    graph = cr.CPUGraph()
    with cr.graph(graph):
        loss = _step(cr, a, b, x, y)
    for _ in range(STEPS - 1):
        graph.replay()
    return loss.item()


def torch_run(x, y, a0, b0):
    a = torch.tensor(a0, requires_grad=True)
    b = torch.tensor(b0, requires_grad=True)
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    for _ in range(STEPS):
        loss = _step(torch, a, b, x, y)
    return loss.item()


def candidates():
    data = setup()
    return {
        "numpy": lambda: numpy_run(*data),
        "chainrule": lambda: chainrule_run(*data),
        "torch": lambda: torch_run(*data),
        "cpugraph": lambda: graph_run(*data),
    }
