"""cpugraph/buffers.py: a replay that multiplies masks into dead gradients in place must end
every step on the same bits as eager steps, whatever the user changes between replays, and must
never write into a gradient someone still sees."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import chainrule as cr

SIZES = (320, 256, 256, 10)
OPTIMIZERS = {
    "sgd": lambda p: cr.optim.SGD(p, lr=0.05),
    "sgd_momentum_decay": lambda p: cr.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=1e-3),
    "adam": lambda p: cr.optim.Adam(p, lr=1e-3),
    "adamw_amsgrad": lambda p: cr.optim.AdamW(p, lr=1e-3, amsgrad=True),
    "rmsprop": lambda p: cr.optim.RMSprop(p, lr=1e-3, momentum=0.5),
}


def _batches(steps=5, batch=64):  # 64 x 256 float32 gradients: 64 KiB, worth reusing
    rng = np.random.default_rng(7)
    xs = rng.standard_normal((steps, batch, SIZES[0])).astype(np.float32)
    ys = rng.integers(0, SIZES[-1], (steps, batch))
    return xs, ys


def _model():
    cr.manual_seed(3)
    layers = []
    for i, (a, b) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        layers.append(cr.nn.Linear(a, b))
        if i < len(SIZES) - 2:
            layers.append(cr.nn.ReLU())
    return cr.nn.Sequential(*layers)


def _run(make_optimizer, captured, between=None, clip=False, retain=False, steps=5):
    """Weights and loss after each step (and the first hidden layer's gradient, kept with
    retain_grad); eager, or captured at step 1 and replayed after."""
    xs, ys = _batches(steps)
    model = _model()
    optimizer = make_optimizer(model.parameters())
    loss_fn = cr.nn.CrossEntropyLoss()
    static_x, static_y = cr.tensor(xs[0]), cr.tensor(ys[0])
    state = {"loss": None}

    def step():
        optimizer.zero_grad()
        hidden = model[1](model[0](static_x))
        if retain:
            hidden.retain_grad()
        loss = loss_fn(model[4](model[3](model[2](hidden))), static_y)
        loss.backward()
        if clip:
            cr.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimizer.step()
        state["loss"], state["hidden"] = loss, hidden

    graph, history = None, []
    for i in range(steps):
        static_x.copy_(cr.tensor(xs[i]))
        static_y.copy_(cr.tensor(ys[i]))
        if between is not None:
            between(i, model, optimizer)
        if graph is not None:
            graph.replay()
        elif captured and i == 1:
            graph = cr.CPUGraph()
            with cr.graph(graph):
                step()
        else:
            step()
        history.append(
            [state["loss"].detach().numpy().tobytes()]
            + [p.detach().numpy().tobytes() for p in model.parameters()]
            + ([state["hidden"].grad.numpy().tobytes()] if retain else [])
        )
    return history, graph


def _same(make_optimizer, **kwargs):
    eager, _ = _run(make_optimizer, False, **kwargs)
    replayed, graph = _run(make_optimizer, True, **kwargs)
    for i, (a, b) in enumerate(zip(eager, replayed)):
        assert a == b, f"step {i}: arrays {[k for k, (x, y) in enumerate(zip(a, b)) if x != y]}"
    return graph


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_replays_end_on_eagers_bits(name):
    _same(OPTIMIZERS[name])


def test_a_relu_mask_is_multiplied_into_the_dead_gradient():
    graph = _same(OPTIMIZERS["sgd"])
    in_place = [
        s
        for s in graph._steps
        if type(s) is functools.partial
        and s.func is np.multiply
        and s.keywords.get("out") is not None
        and s.keywords["out"] is s.args[0]
    ]
    assert len(in_place) == 2  # the two ReLUs' backward


def test_a_scheduler_between_replays():
    def between(i, model, optimizer):
        for group in optimizer.param_groups:
            group["lr"] = 0.05 / (i + 1)

    _same(OPTIMIZERS["sgd_momentum_decay"], between=between)


def test_a_group_added_between_replays():
    extra = {}

    def between(i, model, optimizer):
        if i == 3:
            extra["p"] = cr.nn.Parameter(np.float32([1.0, 2.0]))
            optimizer.add_param_group({"params": [extra["p"]], "lr": 0.1})

    _same(OPTIMIZERS["adam"], between=between)


def test_state_cleared_and_grads_set_to_none_between_replays():
    def between(i, model, optimizer):
        if i == 2:
            optimizer.state.clear()
        if i == 3:
            optimizer.zero_grad(set_to_none=True)

    _same(OPTIMIZERS["adam"], between=between)


def test_gradient_clipping_reads_the_gradients_as_eagerly():
    _same(OPTIMIZERS["sgd_momentum_decay"], clip=True)


def test_a_retained_activation_gradient_keeps_its_own_memory():
    _same(OPTIMIZERS["sgd"], retain=True)


def test_small_gradients_keep_their_arrays_and_the_capture_skips_the_analysis(monkeypatch):
    import chainrule.cpugraph.buffers as buffers

    monkeypatch.setattr(buffers, "touched", lambda step: pytest.fail("analysed a small backward"))
    model = cr.nn.Sequential(cr.nn.Linear(3, 4), cr.nn.ReLU(), cr.nn.Linear(4, 1))
    x, y = cr.randn(8, 3), cr.randn(8, 1)
    graph = cr.CPUGraph()
    with cr.graph(graph):
        model.zero_grad()
        cr.nn.functional.mse_loss(model(x), y).backward()
    assert not any(
        type(s) is functools.partial
        and s.keywords.get("out") is not None
        and s.keywords["out"] is s.args[0]
        for s in graph._steps
        if type(s) is functools.partial and s.func is np.multiply
    )
