"""Module full backward hooks under create_graph=True: the hooks see gradients with a graph,
and what they return is differentiated again, as in torch 2.13."""

import numpy as np
import pytest

import chainrule as cr

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")


def _penalty(lib, x_array, weight):
    layer = lib.nn.Linear(3, 2).double()
    with lib.no_grad():
        layer.weight.copy_(lib.tensor(weight[:, :3]))
        layer.bias.copy_(lib.tensor(weight[:, 3]))
    seen = []

    def halve(module, grad_input, grad_output):
        seen.append(grad_output[0].requires_grad)
        return (grad_input[0] * 0.5,)

    def square_out(module, grad_output):
        return (grad_output[0] * grad_output[0],)

    layer.register_full_backward_pre_hook(square_out)
    layer.register_full_backward_hook(halve)
    x = lib.tensor(x_array, requires_grad=True)
    score = (layer(x).tanh() ** 2).sum()
    (grad_x,) = lib.autograd.grad(score, x, create_graph=True)
    penalty = ((grad_x**2).sum(1) - 1.0).pow(2).mean()
    grads = lib.autograd.grad(penalty, [x, layer.weight, layer.bias])
    return seen, [g.numpy() for g in [grad_x.detach(), *grads]]


def test_full_backward_hooks_with_create_graph_match_torch():
    rng = np.random.default_rng(3)
    x, weight = rng.standard_normal((4, 3)), rng.standard_normal((2, 4))
    seen, mine = _penalty(cr, x, weight)
    seen_t, theirs = _penalty(torch, x, weight)
    assert seen == seen_t == [True, False]  # the create_graph pass, then the plain one
    for a, b in zip(mine, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
