"""CPUGraph replays of nn modules (float32 and float64) and of custom Functions in both forms
(the second adversary's cases, part 1 of 2)."""

from __future__ import annotations


import numpy as np
import pytest

import chainrule as cr
from chainrule import functional as F
from tests.cpugraph.replay_harness2 import _arrays, _assert_same, _grads, _vector, _w


# --- nn modules, float32 and float64 ---------------------------------------------------------


def _rows(dtype):
    def batches(i):
        rng = np.random.default_rng(i)
        return [rng.standard_normal((4, 3)).astype(dtype), rng.integers(0, 2, 4)]

    return batches


def _module(kind):
    if kind == "dropout":
        return cr.nn.Sequential(
            cr.nn.Linear(3, 5), cr.nn.Dropout(0.3), cr.nn.ReLU(), cr.nn.Linear(5, 2)
        )
    if kind == "batchnorm":
        return cr.nn.Sequential(
            cr.nn.Linear(3, 5), cr.nn.BatchNorm1d(5), cr.nn.Tanh(), cr.nn.Linear(5, 2)
        )
    return cr.nn.Sequential(
        cr.nn.Linear(3, 5), cr.nn.LayerNorm(5), cr.nn.GELU(), cr.nn.Linear(5, 2)
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["dropout", "batchnorm", "layernorm"])
def test_small_models_with_their_layers_replay_bit_identically(kind, dtype):
    def make():
        cr.manual_seed(0)
        model = _module(kind).to(dtype)
        x, y = cr.zeros((4, 3), dtype=dtype), cr.zeros(4, dtype=cr.int64)
        optimizer = cr.optim.Adam(model.parameters(), lr=0.01)
        params = list(model.parameters())
        buffers = [b for _, b in model.named_buffers()]  # (Module has no buffers() yet)

        def step():
            optimizer.zero_grad()
            F.cross_entropy(model(x), y).backward()
            optimizer.step()

        return [x, y], step, lambda: _arrays(params + buffers) + _grads(params), None

    _assert_same(make, _rows(dtype))


def test_conv2d_and_batchnorm2d_replay_bit_identically():
    def batches(i):
        rng = np.random.default_rng(i)
        return [rng.standard_normal((2, 1, 5, 5)).astype(np.float32), rng.integers(0, 3, 2)]

    def make():
        cr.manual_seed(0)
        conv, norm, head = (
            cr.nn.Conv2d(1, 2, 3, padding=1),
            cr.nn.BatchNorm2d(2),
            cr.nn.Linear(50, 3),
        )
        params = [*conv.parameters(), *norm.parameters(), *head.parameters()]
        x, y = cr.zeros((2, 1, 5, 5)), cr.zeros(2, dtype=cr.int64)
        optimizer = cr.optim.SGD(params, lr=0.1, momentum=0.9)

        def step():
            optimizer.zero_grad()
            features = F.relu(norm(conv(x))).reshape(2, -1)
            F.cross_entropy(head(features), y).backward()
            optimizer.step()

        watched = params + [norm.running_mean, norm.running_var]
        return [x, y], step, lambda: _arrays(watched) + _grads(params), None

    _assert_same(make, batches)


def test_embedding_lstm_and_clipping_replay_bit_identically():
    def batches(i):
        rng = np.random.default_rng(i)
        return [rng.integers(0, 7, (3, 4)), rng.standard_normal(3).astype(np.float32)]

    def make():
        cr.manual_seed(0)
        embed, lstm, head = (
            cr.nn.Embedding(7, 4),
            cr.nn.LSTM(4, 5, batch_first=True),
            cr.nn.Linear(5, 1),
        )
        params = [*embed.parameters(), *lstm.parameters(), *head.parameters()]
        tokens, y = cr.zeros((3, 4), dtype=cr.int64), cr.zeros(3)
        optimizer = cr.optim.Adam(params, lr=0.01)

        def step():
            optimizer.zero_grad()
            out, _ = lstm(embed(tokens))
            F.mse_loss(head(out[:, -1]).reshape(-1), y).backward()
            cr.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()

        return [tokens, y], step, lambda: _arrays(params) + _grads(params), None

    _assert_same(make, batches)


# --- custom Functions inside a capture -------------------------------------------------------


class _CubeArrays(cr.Function):
    """The house form: forward and backward on ndarrays."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return x * x * x

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * 3 * ctx.x * ctx.x


class _CubeTensors(cr.autograd.Function):
    """torch's form: Tensors and save_for_backward."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x * x


def _custom_step(function, retain=False):
    def make():
        w, x = _w(), cr.zeros(3)
        optimizer = cr.optim.SGD([w], lr=0.01)

        def step():
            optimizer.zero_grad()
            function.apply(w * x).sum().backward(retain_graph=retain)
            optimizer.step()

        return [x], step, lambda: [w.detach().numpy(), w.grad.numpy()], None

    return make


def test_a_users_function_on_arrays_replays_bit_identically():
    _assert_same(_custom_step(_CubeArrays), _vector)


def test_a_torch_style_function_replays_when_the_capture_retains_its_graph():
    _assert_same(_custom_step(_CubeTensors, retain=True), _vector)


def test_a_torch_style_function_replays_bit_identically():
    _assert_same(_custom_step(_CubeTensors), _vector)


class _HalfGradientMul(cr.functional.Mul):
    """A user's subclass of a chainrule op that changes only its backward (gradient scaling)."""

    @staticmethod
    def backward(ctx, grad_y):
        grads = cr.functional.Mul.backward(ctx, grad_y)
        return tuple(None if g is None else g * 0.5 for g in grads)


class _HalfGradientLinear(cr.functional.Linear):
    @staticmethod
    def backward(ctx, grad_y):
        grads = cr.functional.Linear.backward(ctx, grad_y)
        return tuple(None if g is None else g * 0.5 for g in grads)


class _PlusOneMul(cr.functional.Mul):
    """A subclass that changes only its forward: a * b + 1, the same gradient."""

    @staticmethod
    def forward(ctx, a, b):
        return cr.functional.Mul.forward(ctx, a, b) + 1.0


@pytest.mark.parametrize("function", [_HalfGradientMul, _HalfGradientLinear, _PlusOneMul])
def test_a_subclass_of_a_chainrule_op_replays_its_own_forward_and_backward(function):
    held = {}

    def make():
        w = cr.tensor(np.float32([[0.5, -1.0, 2.0], [0.1, 0.2, -0.3]]), requires_grad=True)
        x = cr.zeros(3)
        optimizer = cr.optim.SGD([w], lr=0.1)

        def step():
            optimizer.zero_grad()
            rows = x.reshape(1, 3) * 1.0
            out = held["out"] = function.apply(rows, w)  # (Linear: rows @ w.T; Mul: (2, 3))
            (out**2).mean().backward()
            optimizer.step()

        return (
            [x],
            step,
            lambda: [w.detach().numpy(), w.grad.numpy(), held["out"].detach().numpy()],
            None,
        )

    _assert_same(make, _vector)
