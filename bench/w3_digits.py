"""W3: MLP 64-128-128-10, ReLU, cross-entropy, SGD lr 0.1, batch 64, on scikit-learn's digits,
20 epochs. Every implementation sees the same batches in the same order."""

import numpy as np
import torch

import chainrule as cr
from _loops import relu_mlp, run_graph, run_steps
from _numpy_mlp import predict, sgd_step
from chainrule.data import load_dataset

EPOCHS, LR, BATCH = 20, 0.1, 64
SIZES = (64, 128, 128, 10)
NAME = "W3 digits MLP 64-128-128-10, batch 64, 20 epochs"


def setup():
    split = load_dataset("digits", seed=0)
    rng = np.random.default_rng(0)
    orders = [rng.permutation(len(split.X_train)) for _ in range(EPOCHS)]
    batches = [[order[i : i + BATCH] for i in range(0, len(order), BATCH)] for order in orders]
    weights = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        bound = 1 / np.sqrt(fan_in)
        weights.append(
            (
                rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32),
                rng.uniform(-bound, bound, fan_out).astype(np.float32),
            )
        )
    return split, batches, weights


def _accuracy(logits, y):
    return float((np.asarray(logits).argmax(axis=1) == y).mean())


def numpy_run(split, batches, weights):
    params = [(w.copy(), b.copy()) for w, b in weights]
    X, y = split.X_train, split.y_train
    for epoch in batches:
        for index in epoch:
            loss = sgd_step(params, X[index], y[index], LR)
    return loss, _accuracy(predict(params, split.X_test), split.y_test)


def chainrule_run(split, batches, weights, captured=False):
    model = relu_mlp(cr, weights)
    optimizer = cr.optim.SGD(model.parameters(), lr=LR)
    loss_fn = cr.nn.CrossEntropyLoss()
    X, y = split.X_train, split.y_train
    if captured:  # one graph for the full batches, one for each epoch's shorter last batch
        loss = run_graph(
            cr,
            model,
            loss_fn,
            optimizer,
            ((X[index], y[index]) for epoch in batches for index in epoch),
        )
    else:
        loss = run_steps(
            model,
            loss_fn,
            optimizer,
            ((cr.Tensor(X[index]), y[index]) for epoch in batches for index in epoch),
        )
    with cr.no_grad():
        logits = model(cr.Tensor(split.X_test)).data
    return loss, _accuracy(logits, split.y_test)


def torch_run(split, batches, weights):
    model = relu_mlp(torch, weights)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    X, y = torch.from_numpy(split.X_train), torch.from_numpy(split.y_train)
    loss = run_steps(
        model,
        loss_fn,
        optimizer,
        ((X[torch.from_numpy(i)], y[torch.from_numpy(i)]) for epoch in batches for i in epoch),
    )
    with torch.no_grad():
        logits = model(torch.from_numpy(split.X_test)).numpy()
    return loss, _accuracy(logits, split.y_test)


def candidates():
    data = setup()
    return {
        "numpy": lambda: numpy_run(*data),
        "chainrule": lambda: chainrule_run(*data),
        "torch": lambda: torch_run(*data),
        "cpugraph": lambda: chainrule_run(*data, captured=True),
    }
