"""W5: a small CNN (two 3x3 convolutions, max-pool, linear) on scikit-learn's 8x8 digits,
SGD lr 0.05, batch 64, 5 epochs; chainrule and PyTorch eager on the same weights and batches."""

import numpy as np
import torch

import chainrule as cr
from _cnn import small_cnn, weights
from _loops import run_steps
from chainrule.data import load_dataset

EPOCHS, LR, BATCH, SIDE = 5, 0.05, 64, 8
NAME = "W5 digits CNN conv3x3(16)-conv3x3(32)-maxpool-linear, batch 64, 5 epochs"


def setup():
    split = load_dataset("digits", seed=0)
    rng = np.random.default_rng(0)
    orders = [rng.permutation(len(split.X_train)) for _ in range(EPOCHS)]
    batches = [order[i : i + BATCH] for order in orders for i in range(0, len(order), BATCH)]
    images = split.X_train.reshape(-1, 1, SIDE, SIDE)
    tests = split.X_test.reshape(-1, 1, SIDE, SIDE)
    return images, split.y_train, tests, split.y_test, batches, weights(SIDE, rng)


def _accuracy(logits, y):
    return float((np.asarray(logits).argmax(axis=1) == y).mean())


def chainrule_run(X, y, X_test, y_test, batches, state):
    model = small_cnn(cr, state, SIDE)
    optimizer = cr.optim.SGD(model.parameters(), lr=LR)
    loss = run_steps(
        model, cr.nn.CrossEntropyLoss(), optimizer, ((cr.Tensor(X[i]), y[i]) for i in batches)
    )
    with cr.no_grad():
        logits = model(cr.Tensor(X_test)).numpy()
    return loss, _accuracy(logits, y_test)


def torch_run(X, y, X_test, y_test, batches, state):
    model = small_cnn(torch, state, SIDE)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    loss = run_steps(
        model,
        torch.nn.CrossEntropyLoss(),
        optimizer,
        ((X[torch.from_numpy(i)], y[torch.from_numpy(i)]) for i in batches),
    )
    with torch.no_grad():
        logits = model(torch.from_numpy(X_test)).numpy()
    return loss, _accuracy(logits, y_test)


def candidates():
    data = setup()
    return {"chainrule": lambda: chainrule_run(*data), "torch": lambda: torch_run(*data)}
