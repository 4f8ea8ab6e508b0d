"""diagonal and Tensor.unfold as views (strided_views.py), against torch 2.13: the jitter idiom
K.diagonal().add_(eps), every offset and pair of dims, gradients through writes, double
backward, gradcheck, and a CPUGraph replay of a step that writes a diagonal."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule.gradcheck import gradcheck


def test_jitter_on_a_covariances_diagonal_writes_into_it():
    for lib in (cr, torch):
        K = lib.tensor(np.ones((3, 3), np.float32))
        K.diagonal().add_(1e-3)
        np.testing.assert_array_equal(
            K.numpy(), np.ones((3, 3), np.float32) + np.eye(3, dtype=np.float32) * np.float32(1e-3)
        )
        assert K.dtype == lib.float32


@pytest.mark.parametrize("offset", [-3, -1, 0, 2, 5])
@pytest.mark.parametrize("dims", [(0, 1), (1, 0), (0, 2), (-1, 1), (2, -3)])
def test_every_diagonal_is_a_view_with_torchs_values_and_layout(offset, dims):
    values = np.arange(60.0).reshape(3, 4, 5)
    out = []
    for lib in (cr, torch):
        x = lib.tensor(values.copy())
        view = lib.diagonal(x, offset, *dims)
        view.mul_(-1)
        out.append((view.numpy().copy(), x.numpy().copy(), view.stride(), view.shape))
    np.testing.assert_array_equal(out[0][0], out[1][0])
    np.testing.assert_array_equal(out[0][1], out[1][1])
    assert out[0][2:] == (out[1][2], tuple(out[1][3]))


def test_diagonal_refuses_one_dim_twice():
    with pytest.raises(RuntimeError):
        torch.zeros(3, 3).diagonal(0, 1, 1)
    with pytest.raises(cr.errors.ArgumentError, match="diagonal: expected two different dims"):
        cr.zeros(3, 3).diagonal(0, 1, 1)


def _double_backward(lib, values, program):
    x = lib.tensor(values, requires_grad=True)
    (grad,) = lib.autograd.grad(program(x).sum(), x, create_graph=True)
    (grad * grad).sum().backward()
    return grad.detach().numpy().copy(), x.grad.numpy().copy()


PROGRAMS = {
    "diagonal": lambda x: x.diagonal(1) ** 3,
    "diagonal of a transpose": lambda x: x.t().diagonal(-1) ** 3,
    "unfold": lambda x: x.unfold(1, 2, 1) ** 3,
    "unfold with gaps": lambda x: x.unfold(0, 2, 3).sin(),
    "jitter, then a quadratic": lambda x: _jittered(x) ** 2,
    "a row set from the diagonal": lambda x: _row_set(x) ** 3,
}


def _jittered(x):
    k = x @ x.t()
    k.diagonal().add_(0.5)
    return k


def _row_set(x):
    y = x * 1.0
    y[0] = x.diagonal() * 2.0
    return y


@pytest.mark.parametrize("name", PROGRAMS)
def test_double_backward_matches_torch(name):
    values = np.random.default_rng(4).standard_normal((4, 4))
    ours = _double_backward(cr, values, PROGRAMS[name])
    theirs = _double_backward(torch, values, PROGRAMS[name])
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", PROGRAMS)
def test_gradcheck(name):
    x = cr.tensor(np.random.default_rng(5).standard_normal((4, 4)), requires_grad=True)
    assert gradcheck(PROGRAMS[name], x)


def test_unfold_is_a_view_whose_windows_apart_are_written_through():
    for lib in (cr, torch):
        x = lib.arange(10.0)
        x.unfold(0, 2, 3)[:, 1].fill_(-1)
        assert x.tolist() == [0, -1, 2, 3, -1, 5, 6, -1, 8, 9]


def test_a_replayed_step_writes_the_diagonal_as_the_eager_step():
    def run(captured):
        w = cr.nn.Parameter(cr.tensor(np.random.default_rng(6).standard_normal((3, 3))))
        x = cr.tensor(np.random.default_rng(7).standard_normal((3, 3)))
        optimizer = cr.optim.SGD([w], lr=0.1)

        def step():
            optimizer.zero_grad()
            k = w @ x
            k.diagonal().add_(1.0)
            (k * k).sum().backward()
            optimizer.step()

        if captured:
            graph = cr.CPUGraph()
            with cr.graph(graph):
                step()
        for i in range(3):
            if captured and i:
                graph.replay()
            elif not captured:
                step()
        return w.detach().numpy().tobytes()

    assert run(False) == run(True)
