"""cpugraph/constants.py: backward calls that compute the same numbers on every replay (mean's
1/n spread over its input, from the engine's root gradient of 1) run once at capture. Replays
must still end every step on eager's bits, and nothing that changes between replays may be
folded: a root gradient given as a Tensor, a Python backward, a gradient the step stores."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import chainrule as cr


def _divides(graph: cr.CPUGraph) -> int:
    return sum(1 for s in graph._steps if type(s) is functools.partial and s.func is np.divide)


def _run(loss_of, captured, steps=6, size=10, given=None, between=None):
    """Parameters and loss after each of ``steps`` SGD steps, eager or captured at step 1."""
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((steps, size)).astype(np.float32)
    w = cr.tensor(rng.standard_normal(size).astype(np.float32), requires_grad=True)
    b = cr.tensor(np.float32(0.5), requires_grad=True)
    optimizer = cr.optim.SGD([w, b], lr=0.1, momentum=0.5)
    static_x = cr.tensor(xs[0])
    seed = cr.tensor(np.float32(1.0)) if given == "tensor" else None
    state = {}

    def step():
        optimizer.zero_grad()
        loss = loss_of(w, b, static_x)
        if given == "tensor":
            loss.backward(seed)
        else:
            loss.backward()
        optimizer.step()
        state["loss"] = loss

    history, graph = [], None
    for i in range(steps):
        static_x.copy_(cr.tensor(xs[i]))
        if given == "tensor":
            seed.copy_(cr.tensor(np.float32(1.0 + i)))
        if between is not None:
            between(i, optimizer)
        if not captured or i == 0:
            if captured:
                graph = cr.CPUGraph()
                with cr.graph(graph):
                    step()
            else:
                step()
        else:
            graph.replay()
        history.append((w.detach().numpy().copy(), b.detach().numpy().copy(), state["loss"].item()))
    return history, graph


def _same(eager, replayed):
    for (w1, b1, l1), (w2, b2, l2) in zip(eager, replayed):
        assert np.array_equal(w1, w2) and np.array_equal(b1, b2) and l1 == l2


LOSSES = {
    "op by op": lambda w, b, x: ((w * x + b - 2.0) ** 2).mean(),
    "sum then mean": lambda w, b, x: (w * x + b).sum() + (w * w).mean(),
    "two means": lambda w, b, x: (w * x).mean() + ((x - b) ** 2).mean(),
}


@pytest.mark.parametrize("name", LOSSES)
def test_replays_end_on_eager_bits_with_mean_folded(name):
    eager, _ = _run(LOSSES[name], captured=False)
    replayed, graph = _run(LOSSES[name], captured=True)
    _same(eager, replayed)


def test_the_mean_backward_divide_runs_once_at_capture():
    _, graph = _run(LOSSES["op by op"], captured=True)
    # the forward's total / n stays (it reads this replay's numbers); the backward's 1 / n goes
    assert _divides(graph) == 1


def test_a_root_gradient_given_as_a_tensor_is_read_on_every_replay():
    eager, _ = _run(LOSSES["op by op"], captured=False, given="tensor")
    replayed, graph = _run(LOSSES["op by op"], captured=True, given="tensor")
    _same(eager, replayed)
    assert _divides(graph) == 2


def test_a_large_folded_constant_is_not_reused_as_a_dead_buffer():
    # 40,000 float32 elements: 160 KiB, above the size at which dead gradients are reused
    loss = LOSSES["op by op"]
    eager, _ = _run(loss, captured=False, size=40_000)
    replayed, _ = _run(loss, captured=True, size=40_000)
    _same(eager, replayed)


def test_a_changed_learning_rate_between_replays_still_matches():
    def between(i, optimizer):
        if i == 3:
            optimizer.param_groups[0]["lr"] = 0.01

    eager, _ = _run(LOSSES["two means"], captured=False, between=between)
    replayed, _ = _run(LOSSES["two means"], captured=True, between=between)
    _same(eager, replayed)


class _Twice(cr.autograd.Function):
    """A Python backward in the graph: the capture folds nothing then."""

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        return grad * 2


def test_nothing_is_folded_when_a_python_backward_runs_in_the_replay():
    loss = lambda w, b, x: _Twice.apply(w * x + b).mean()  # noqa: E731
    eager, _ = _run(loss, captured=False)
    replayed, graph = _run(loss, captured=True)
    _same(eager, replayed)
    assert _divides(graph) == 2
