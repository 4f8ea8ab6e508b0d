"""W6: the W5 CNN at MNIST size (1x28x28 images, 10 classes), SGD lr 0.01, batch 128, 10 steps
on random data of MNIST's shape; chainrule and PyTorch eager on the same weights and batches."""

import numpy as np
import torch

import chainrule as cr
from _cnn import small_cnn, weights
from _loops import run_steps

STEPS, LR, BATCH, SIDE = 10, 0.01, 128, 28
NAME = "W6 MNIST-size CNN conv3x3(16)-conv3x3(32)-maxpool-linear, batch 128, 10 steps"


def setup():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((STEPS, BATCH, 1, SIDE, SIDE)).astype(np.float32)
    y = rng.integers(0, 10, (STEPS, BATCH))
    return X, y, weights(SIDE, rng)


def chainrule_run(X, y, state):
    model = small_cnn(cr, state, SIDE)
    optimizer = cr.optim.SGD(model.parameters(), lr=LR)
    return run_steps(
        model, cr.nn.CrossEntropyLoss(), optimizer, ((cr.Tensor(x), t) for x, t in zip(X, y))
    )


def torch_run(X, y, state):
    model = small_cnn(torch, state, SIDE)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    return run_steps(
        model,
        torch.nn.CrossEntropyLoss(),
        optimizer,
        ((torch.from_numpy(x), torch.from_numpy(t)) for x, t in zip(X, y)),
    )


def candidates():
    data = setup()
    return {"chainrule": lambda: chainrule_run(*data), "torch": lambda: torch_run(*data)}
