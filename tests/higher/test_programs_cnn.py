"""Programs that need create_graph=True through layers, on torch and on chainrule with the same
weights: a WGAN-GP critic step on a CNN (conv, leaky_relu, avg/max pooling), MAML on a CNN
(conv, batch_norm, max_pool, cross_entropy), and an influence-function Hessian-vector product
through a Huber loss."""

import warnings

import numpy as np
import pytest

import chainrule as cr

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")
rng = np.random.default_rng(7)
CONV1, BIAS1 = rng.standard_normal((4, 1, 3, 3)) * 0.4, rng.standard_normal(4) * 0.1
CONV2, BIAS2 = rng.standard_normal((4, 4, 3, 3)) * 0.3, rng.standard_normal(4) * 0.1
HEAD = rng.standard_normal((3, 16)) * 0.3
GAMMA, BETA = 1 + rng.standard_normal(4) * 0.1, rng.standard_normal(4) * 0.1
REAL, FAKE = rng.standard_normal((3, 1, 8, 8)), rng.standard_normal((3, 1, 8, 8))
ALPHA = rng.uniform(size=(3, 1, 1, 1))
LABELS = np.array([0, 2, 1, 1, 0, 2])


def _close(mine, theirs, rtol=1e-9):
    for m, t in zip(mine, theirs):
        np.testing.assert_allclose(np.asarray(m), np.asarray(t), rtol=rtol, atol=1e-11)


def _tensors(lib, *arrays):
    return [lib.tensor(a, requires_grad=True) for a in arrays]


def _critic(lib, params, x):
    F = lib.nn.functional
    w1, b1, w2, b2, head = params
    h = F.leaky_relu(F.conv2d(x, w1, b1, padding=1), 0.2)
    h = F.avg_pool2d(h, 2)
    h = F.leaky_relu(F.conv2d(h, w2, b2, padding=1), 0.2)
    h = F.max_pool2d(h, 2).reshape(x.shape[0], -1)
    return (h @ head[:1].T).sum(1)


def test_wgan_gp_critic_step_on_a_cnn():
    def step(lib):
        params = _tensors(lib, CONV1, BIAS1, CONV2, BIAS2, HEAD)
        real, fake = lib.tensor(REAL), lib.tensor(FAKE)
        alpha = lib.tensor(ALPHA)
        mixed = (alpha * real + (1 - alpha) * fake).requires_grad_()
        scores = _critic(lib, params, mixed)
        (grad,) = lib.autograd.grad(scores.sum(), mixed, create_graph=True)
        penalty = ((grad.reshape(3, -1).norm(2, dim=1) - 1) ** 2).mean()
        loss = _critic(lib, params, fake).mean() - _critic(lib, params, real).mean()
        (loss + 10 * penalty).backward()
        return [penalty.item()] + [p.grad.numpy() for p in params]

    _close(step(cr), step(torch))


def _cnn(lib, params, x):
    F = lib.nn.functional
    w1, b1, gamma, beta, head = params
    h = F.conv2d(x, w1, b1, padding=1)
    h = F.relu(F.batch_norm(h, None, None, gamma, beta, training=True))
    h = F.max_pool2d(h, 2)
    h = F.adaptive_avg_pool2d(h, 2).reshape(x.shape[0], -1)
    return h @ head.T


def test_maml_inner_step_and_outer_backward_on_a_cnn():
    def maml(lib):
        F = lib.nn.functional
        params = _tensors(lib, CONV1, BIAS1, GAMMA, BETA, HEAD)
        support, query = lib.tensor(REAL), lib.tensor(FAKE)
        labels = lib.tensor(LABELS)
        inner = F.cross_entropy(_cnn(lib, params, support), labels[:3])
        grads = lib.autograd.grad(inner, params, create_graph=True)
        fast = [p - 0.1 * g for p, g in zip(params, grads)]
        outer = F.cross_entropy(_cnn(lib, fast, query), labels[3:])
        outer.backward()
        return [outer.item()] + [p.grad.numpy() for p in params]

    _close(maml(cr), maml(torch))


def test_influence_function_hvp_through_a_huber_loss():
    def hvp(lib):
        F = lib.nn.functional
        w1, b1, w2 = _tensors(lib, CONV2[:, :, 0, :].reshape(4, 12)[:, :5], BIAS1, HEAD[:1, :4])
        x, y = lib.tensor(REAL[:, 0, 0, :5]), lib.tensor(FAKE[:, 0, 0, :1])
        prediction = F.softplus(F.linear(x, w1, b1)) @ w2.T
        loss = F.huber_loss(prediction, y, delta=0.5) + F.smooth_l1_loss(prediction, y * 2)
        params = [w1, b1, w2]
        grads = lib.autograd.grad(loss, params, create_graph=True)
        v = [lib.tensor(np.cos(np.arange(p.numel())).reshape(tuple(p.shape))) for p in params]
        inner = sum((g * vi).sum() for g, vi in zip(grads, v))
        return [h.numpy() for h in lib.autograd.grad(inner, params)]

    _close(hvp(cr), hvp(torch))


def test_a_graph_grad_accumulates_out_of_place_keeping_both_graphs_as_torch():
    def run(lib):
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # torch's reference-cycle warning
            (x**3).sum().backward(create_graph=True)
            first = x.grad
            name = first.grad_fn.name()
            (x**2).sum().backward(create_graph=True)
        assert x.grad is not first and x.grad.grad_fn.name() == "AddBackward0"
        (second,) = lib.autograd.grad(x.grad.sum(), x, retain_graph=True)
        before = x.grad
        (x * 5).sum().backward()  # first order: in place, as torch's AccumulateGrad
        assert x.grad is before
        (third,) = lib.autograd.grad(x.grad.sum(), x)
        return name, x.grad.tolist(), first.tolist(), second.tolist(), third.tolist()

    mine, theirs = run(cr), run(torch)
    assert mine == theirs
    assert mine[0] == "torch::autograd::CopyBackwards" and mine[3] == [8.0, 14.0]
