"""What capturing p18-p41 (tests/programs/test_programs_captured2.py) found, one test per fix."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.errors import ArgumentError
from chainrule.nn import functional as F


def _batches(shape, n=4):
    return [
        cr.from_numpy(np.random.default_rng(i).standard_normal(shape).astype(np.float32))
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("layer", "op"),
    [("linear", "relu_"), ("conv2d", "relu_"), ("linear", "sigmoid_"), ("linear", "tanh_")],
)
def test_inplace_op_with_grad_on_replays_the_output_its_backward_reads(layer, op):
    """``h.relu_()`` in the graph: ReLU's backward reads its output, so the write back into
    ``h`` must not take that output's place on replay (the weights' grads went stale)."""
    results = []
    for captured in (False, True):
        model = (
            nn.Linear(6, 5, generator=1) if layer == "linear" else nn.Conv2d(1, 2, 3, generator=1)
        )
        shape = (8, 6) if layer == "linear" else (2, 1, 5, 5)
        batches, seen = _batches(shape), []

        def step(x, model=model):
            model.zero_grad()
            h = model(x)
            getattr(h, op)()
            loss = (h * h).sum()
            loss.backward()
            return loss

        if captured:
            static = batches[0].clone()
            graph = cr.CPUGraph()
            with cr.graph(graph):
                loss = step(static)
        for i, batch in enumerate(batches):
            if not captured:
                loss = step(batch)
            elif i:
                static.copy_(batch)
                graph.replay()
            seen.append((loss.item(), model.weight.grad.numpy().tobytes()))
        results.append(seen)
    assert results[0] == results[1]


def test_gaussian_nll_checks_each_replayed_variance():
    """The ``var >= 0`` check runs on every replay instead of refusing the capture."""
    mean, target, var = cr.zeros(4, 1), cr.ones(4, 1), cr.full((4, 1), 0.5)
    graph = cr.CPUGraph()
    with cr.graph(graph):
        loss = F.gaussian_nll_loss(mean, target, var)
    first = loss.item()
    graph.replay()
    assert loss.item() == first
    var.copy_(cr.tensor([[0.5], [-1.0], [0.5], [0.5]]))
    with pytest.raises(ArgumentError, match=r"gaussian_nll_loss: expected var with entries >= 0"):
        graph.replay()
