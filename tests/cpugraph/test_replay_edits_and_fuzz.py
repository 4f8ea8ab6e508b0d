"""CPUGraph replays with two graphs, edits between replays, and a fuzzer of small models
(the second adversary's cases, part 2 of 2)."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import chainrule as cr
from chainrule import functional as F
from chainrule.errors import GraphError
from tests.cpugraph.replay_harness2 import _arrays, _assert_same, _grads, _histories, _vector, _w


# --- two graphs, and edits between replays ---------------------------------------------------


def test_two_graphs_sharing_a_parameter_replay_alternately():
    def histories(captured):
        w, x, x2 = _w(), cr.zeros(3), cr.zeros(3)
        optimizer = cr.optim.Adam([w], lr=0.01)

        def square():
            optimizer.zero_grad()
            ((w * x) ** 2).sum().backward()
            optimizer.step()

        def tanh():
            optimizer.zero_grad()
            F.tanh(w - x2).mean().backward()
            optimizer.step()

        graphs, history = [], []
        for i in range(6):
            x.copy_(cr.tensor(_vector(i)[0]))
            x2.copy_(cr.tensor(_vector(i)[0] * -0.5))
            body = square if i % 2 == 0 else tanh
            if captured and i >= 2:
                graphs[i % 2].replay()
            elif captured:
                graphs.append(cr.CPUGraph())
                with cr.graph(graphs[-1]):
                    body()
            else:
                body()
            state = [np.asarray(v).tobytes() for v in optimizer.state[id(w)].values()]
            history.append((w.detach().numpy().tobytes(), w.grad.numpy().tobytes(), state))
        return history

    assert histories(True) == histories(False)


def test_hyperparameters_changed_between_replays_take_effect():
    def make():
        w, x = _w(), cr.zeros(3)
        optimizer = cr.optim.SGD([w], lr=0.1, momentum=0.9, weight_decay=0.01)

        def step():
            optimizer.zero_grad()
            ((w * x) ** 2).sum().backward()
            optimizer.step()

        return [x], step, lambda: [w.detach().numpy(), w.grad.numpy()], optimizer

    def between(i, optimizer):
        group = optimizer.param_groups[0]
        group["lr"] = 0.1 / (i + 1)
        group["momentum"] = 0.5 if i > 1 else 0.9

    _assert_same(make, _vector, between=between)


def _linear_step(zero, momentum=0.0):
    def make():
        w, x = _w(), cr.zeros(3)
        optimizer = cr.optim.SGD([w], lr=0.1, momentum=momentum)

        def step():
            if zero is not None:
                optimizer.zero_grad(set_to_none=zero)
            ((w * x) ** 2).sum().backward()
            optimizer.step()

        return [x], step, lambda: [w.detach().numpy(), *_grads([w])], w

    return make


def _replace_grad(i, w):
    if i >= 2:
        w.grad = cr.full((3,), 5.0)


def test_a_grad_replaced_between_replays_is_dropped_by_zero_grad_as_eagerly():
    _assert_same(_linear_step(True, momentum=0.9), _vector, between=_replace_grad)


def test_a_grad_replaced_between_replays_is_zeroed_by_zero_grad_as_eagerly():
    _assert_same(_linear_step(False), _vector, between=_replace_grad, warmup=1)


def test_gradients_zeroed_by_replacing_them_outside_the_graph():
    def zero_by_replacing(i, w):
        w.grad = cr.zeros(3)

    _assert_same(_linear_step(None), _vector, between=zero_by_replacing)


def test_zero_grad_at_the_end_then_autograd_grad_for_logging():
    def make():
        w, x = _w(), cr.zeros(3)
        optimizer = cr.optim.SGD([w], lr=0.1)

        def step():
            ((w * x) ** 2).sum().backward()
            optimizer.step()
            optimizer.zero_grad()
            cr.autograd.grad(F.tanh(w * x).sum(), w)  # a gradient norm to log, say

        return [x], step, lambda: [w.detach().numpy(), *_grads([w])], None

    _assert_same(make, _vector)


def test_autograd_grad_after_a_cleared_grad_leaves_it_cleared():
    def make():
        w, x = _w(), cr.zeros(3)

        def step():
            w.grad = None
            (grad,) = cr.autograd.grad(((w * x) ** 2).sum(), w)
            with cr.no_grad():
                w.sub_(grad * 0.1)

        return [x], step, lambda: [w.detach().numpy(), *_grads([w])], None

    _assert_same(make, _vector)


def test_a_given_gradient_whose_data_is_replaced_is_followed_or_refused():
    given = {}

    def make():
        w, x = _w(), cr.zeros(3)
        given["g"] = cr.tensor(np.float32([1.0, 2.0, 3.0]))

        def step():
            w.grad = None
            (w * x).backward(given["g"])
            with cr.no_grad():
                w.sub_(0.1 * w.grad)

        return [x], step, lambda: [w.detach().numpy(), w.grad.numpy()], None

    def between(i, _):
        given["g"].data = cr.tensor(np.float32([1.0, 2.0, 3.0]) * (i + 2))

    try:
        _assert_same(make, _vector, between=between)
    except GraphError:  # refused at replay, as a static input whose memory is replaced is
        pass


def test_a_grad_set_to_zeros_inside_the_step_starts_each_replay_from_zero():
    def make():
        w, x = _w(), cr.zeros(3)
        optimizer = cr.optim.SGD([w], lr=0.1)

        def step():
            w.grad = cr.zeros(3)  # zeroing by replacement, in the step
            ((w * x) ** 2).sum().backward()
            optimizer.step()

        return [x], step, lambda: [w.detach().numpy(), w.grad.numpy()], None

    try:
        _assert_same(make, _vector)
    except GraphError:  # refused at capture would do as well
        pass


def test_autograd_grad_with_respect_to_a_computed_tensor_then_backward():
    held = {}

    def make():
        w, x = _w(), cr.zeros(3)

        def step():
            w.grad = None
            h = F.tanh(w * x)
            (held["grad_h"],) = cr.autograd.grad((h**2).sum(), h, retain_graph=True)
            (h * held["grad_h"]).sum().backward()
            with cr.no_grad():
                w.sub_(0.1 * w.grad)

        return (
            [x],
            step,
            lambda: [w.detach().numpy(), w.grad.numpy(), held["grad_h"].detach().numpy()],
            None,
        )

    _assert_same(make, _vector)


@pytest.mark.parametrize("set_to_none", [True, False])
def test_zero_grad_between_two_backwards_of_one_step(set_to_none):
    def make():
        w, x = _w(), cr.zeros(3)
        optimizer = cr.optim.SGD([w], lr=0.1)

        def step():
            ((w * x) ** 2).sum().backward()
            optimizer.zero_grad(set_to_none=set_to_none)
            F.tanh(w * x).sum().backward()
            optimizer.step()
            optimizer.zero_grad()

        return [x], step, lambda: [w.detach().numpy(), *_grads([w])], None

    _assert_same(make, _vector)


def test_a_retained_gradient_edited_between_two_backwards():
    held = {}

    def make():
        w, x = _w(), cr.zeros(3)

        def step():
            w.grad = None
            h = w * x
            h.retain_grad()
            loss = (h * h).mean()
            loss.backward(retain_graph=True)
            with cr.no_grad():
                h.grad.mul_(3.0)
                w.grad.mul_(0.5)
            loss.backward()
            held["h"] = h
            with cr.no_grad():
                w.sub_(0.1 * w.grad)

        return [x], step, lambda: [w.detach().numpy(), w.grad.numpy(), held["h"].grad.numpy()], None

    _assert_same(make, _vector)


# --- a fuzzer of small models: layers, losses, zero_grad placement, micro-batches, lr edits ----

LAYERS = ["linear", "relu", "tanh", "gelu", "sigmoid", "dropout", "layernorm", "batchnorm"]
ZERO = ["start", "start", "end", "model_start", "keep", "replace"]
LOSSES = ["cross_entropy", "mse", "bce_logits"]
OPTIMIZERS = ["sgd", "momentum", "nesterov_wd", "adam", "amsgrad", "adamw", "rmsprop", "adagrad"]


def _model_recipe(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    layers = [str(rng.choice(LAYERS)) for _ in range(rng.integers(1, 5))] + ["linear"]
    zero = str(rng.choice(ZERO))
    return dict(
        dtype=np.float32 if rng.random() < 0.6 else np.float64,
        layers=layers,
        widths=[int(rng.integers(2, 6)) for _ in layers],
        loss=str(rng.choice(LOSSES)),
        optimizer=str(rng.choice(OPTIMIZERS)),
        zero=zero,
        micro=int(rng.integers(1, 3)),  # forward/backward passes before one optimizer step
        clip=bool(rng.random() < 0.3),
        lr_edit=bool(rng.random() < 0.4),
        warmup=1 if zero == "keep" or rng.random() < 0.3 else 0,
        seed=seed,
    )


def _model_program(recipe: dict):
    from .fuzz_programs import _optimizer

    dtype, width = recipe["dtype"], 3
    cr.manual_seed(recipe["seed"])
    modules = []
    for kind, out in zip(recipe["layers"], recipe["widths"]):
        if kind == "linear":
            modules.append(cr.nn.Linear(width, out))
            width = out
        elif kind == "dropout":
            modules.append(cr.nn.Dropout(0.25))
        elif kind == "layernorm":
            modules.append(cr.nn.LayerNorm(width))
        elif kind == "batchnorm":
            modules.append(cr.nn.BatchNorm1d(width))
        else:
            modules.append(
                {"relu": cr.nn.ReLU, "tanh": cr.nn.Tanh, "gelu": cr.nn.GELU}.get(
                    kind, cr.nn.Sigmoid
                )()
            )
    model = cr.nn.Sequential(*modules).to(dtype)
    params = list(model.parameters())
    buffers = [b for _, b in model.named_buffers()]
    optimizer = _optimizer(recipe["optimizer"], params)
    xs = [cr.zeros((4, 3), dtype=dtype) for _ in range(recipe["micro"])]
    labels = cr.zeros(4, dtype=cr.int64)
    targets = cr.zeros((4, width), dtype=dtype)
    held = {}

    def loss_of(x):
        out = model(x)
        if recipe["loss"] == "cross_entropy":
            return F.cross_entropy(out, labels)
        if recipe["loss"] == "mse":
            return F.mse_loss(out, targets)
        return F.binary_cross_entropy_with_logits(out, F.sigmoid(targets))

    def step():
        zero = recipe["zero"]
        if zero == "start":
            optimizer.zero_grad()
        elif zero == "model_start":
            model.zero_grad()
        elif zero == "keep":
            optimizer.zero_grad(set_to_none=False)
        elif zero == "replace":
            for p in params:
                p.grad = None
        total = None
        for x in xs:
            loss = loss_of(x)
            (loss / len(xs)).backward()
            total = loss if total is None else total + loss
        if recipe["clip"]:
            cr.nn.utils.clip_grad_norm_(params, 0.5)
        optimizer.step()
        if zero == "end":
            optimizer.zero_grad()
        held["loss"] = total

    def watched():
        state = [
            np.asarray(v) for p in params for _, v in sorted(optimizer.state.get(id(p), {}).items())
        ]
        return [held["loss"].detach().numpy(), *_arrays(params + buffers), *_grads(params), *state]

    return xs + [labels, targets], step, watched, optimizer


def _model_batches(recipe: dict):
    def batches(i):
        rng = np.random.default_rng(1000 + i)
        xs = [rng.standard_normal((4, 3)).astype(recipe["dtype"]) for _ in range(recipe["micro"])]
        width = recipe["widths"][-1]
        return xs + [
            rng.integers(0, width, 4),
            rng.standard_normal((4, width)).astype(recipe["dtype"]),
        ]

    return batches


def _lr_edit(i, optimizer):
    for group in optimizer.param_groups:
        group["lr"] *= 0.5 if i % 2 else 1.5


@pytest.mark.parametrize("block", range(4))
def test_random_small_models_replay_bit_identically(block):
    for seed in range(block * 50, block * 50 + 50):
        recipe = _model_recipe(seed)
        between = _lr_edit if recipe["lr_edit"] else None
        eager, captured = _histories(
            functools.partial(_model_program, recipe),
            _model_batches(recipe),
            steps=5,
            between=between,
            warmup=recipe["warmup"],
        )
        for i, (a, b) in enumerate(zip(eager, captured)):
            differ = [k for k, (x, y) in enumerate(zip(a, b)) if x != y]
            assert not differ, f"seed {seed} step {i}: watched {differ} differ ({recipe})"


def test_a_replay_under_detect_anomaly_raises_as_the_eager_step_does():
    from chainrule.errors import AnomalyError

    w, x = cr.tensor(np.float32([0.5, 1.0]), requires_grad=True), cr.ones(2)
    graph = cr.CPUGraph()
    with cr.autograd.detect_anomaly():
        with pytest.raises((AnomalyError, GraphError)):  # at capture or at the replay
            with cr.graph(graph):
                w.grad = None
                (w * x).sqrt().sum().backward()
            x.copy_(cr.tensor([-1.0, 1.0]))  # sqrt of -1: eager raises AnomalyError here
            graph.replay()
