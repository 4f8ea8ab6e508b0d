"""W4: MLP 784-1024-1024-10, ReLU, cross-entropy, SGD, batch 256, 30 steps on random data,
plus the GEMM roofline: NumPy alone doing exactly that step's matrix multiplications."""

import numpy as np
import torch

from _loops import relu_mlp, run_graph, run_steps
from _numpy_mlp import sgd_step

import chainrule as cr

STEPS, LR, BATCH = 30, 0.01, 256
SIZES = (784, 1024, 1024, 10)
NAME = "W4 MLP 784-1024-1024-10, batch 256, 30 steps"


def setup():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((STEPS, BATCH, SIZES[0])).astype(np.float32)
    y = rng.integers(0, SIZES[-1], (STEPS, BATCH))
    weights = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        bound = 1 / np.sqrt(fan_in)
        weights.append(
            (
                rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32),
                rng.uniform(-bound, bound, fan_out).astype(np.float32),
            )
        )
    return X, y, weights


def numpy_run(X, y, weights):
    params = [(w.copy(), b.copy()) for w, b in weights]
    for x, t in zip(X, y):
        loss = sgd_step(params, x, t, LR)
    return loss


def gemm_only(X, y, weights):
    """The step's eight matrix products and nothing else: the floor for any implementation."""
    ws = [w for w, _ in weights]
    for x, _ in zip(X, y):
        h1 = x @ ws[0].T
        h2 = h1 @ ws[1].T
        z = h2 @ ws[2].T
        g = z
        _ = g.T @ h2
        g2 = g @ ws[2]
        _ = g2.T @ h1
        g1 = g2 @ ws[1]
        _ = g1.T @ x
    return float("nan")


def chainrule_run(X, y, weights):
    model = relu_mlp(cr, weights)
    optimizer = cr.optim.SGD(model.parameters(), lr=LR)
    loss_fn = cr.nn.CrossEntropyLoss()
    return run_steps(model, loss_fn, optimizer, ((cr.Tensor(x), t) for x, t in zip(X, y)))


def graph_run(X, y, weights):
    model = relu_mlp(cr, weights)
    optimizer = cr.optim.SGD(model.parameters(), lr=LR)
    return run_graph(cr, model, cr.nn.CrossEntropyLoss(), optimizer, zip(X, y))


def torch_run(X, y, weights):
    model = relu_mlp(torch, weights)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    return run_steps(
        model,
        loss_fn,
        optimizer,
        ((torch.from_numpy(x), torch.from_numpy(t)) for x, t in zip(X, y)),
    )


def candidates():
    data = setup()
    return {
        "numpy": lambda: numpy_run(*data),
        "chainrule": lambda: chainrule_run(*data),
        "torch": lambda: torch_run(*data),
        "gemm_roofline": lambda: gemm_only(*data),
        "cpugraph": lambda: graph_run(*data),
    }
