"""Second (and third) derivatives through backward(create_graph=True), op by op, against
torch 2.13 in float64: grad of <grad(f(x)), v> with respect to every input."""

import numpy as np
import pytest

import chainrule as cr

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")

# name: (function of lib and inputs, input makers). Inputs are float64 arrays; "pos" ones are
# kept away from 0 (log, sqrt, pow), "prob" ones inside (0, 1).
SHAPE = (3, 4)


def _nf(lib):
    return lib.nn.functional


TARGET = np.array([0, 2, 1])
CASES = {
    "add": (lambda L, a, b: a * a + b * b * b, "nn"),
    "add_broadcast": (lambda L, a, b: (a * b[:1]) + b[0] * a, "nn"),
    "sub": (lambda L, a, b: a * b - b * b, "nn"),
    "mul_scalar": (lambda L, a, b: (a * 3.0) * a * b, "nn"),
    "div": (lambda L, a, b: a / b, "np"),
    "rdiv": (lambda L, a, b: 2.0 / b + a / 4.0, "np"),
    "neg": (lambda L, a, b: -(a * b), "nn"),
    "pow_scalar": (lambda L, a, b: a**3 + b**2 + b**0.5 * a, "pp"),
    "pow_tensor": (lambda L, a, b: a**b, "pp"),
    "exp": (lambda L, a, b: (a * b).exp(), "nn"),
    "log": (lambda L, a, b: (a * b).log(), "pp"),
    "sqrt": (lambda L, a, b: (a * b).sqrt(), "pp"),
    "rsqrt": (lambda L, a, b: (a * b).rsqrt(), "pp"),
    "abs": (lambda L, a, b: (a * b).abs() * a, "nn"),
    "sin_cos": (lambda L, a, b: a.sin() * b.cos(), "nn"),
    "tan_atan": (lambda L, a, b: (a * 0.5).tan() + b.atan(), "nn"),
    "tanh": (lambda L, a, b: (a * b).tanh(), "nn"),
    "sigmoid": (lambda L, a, b: (a * b).sigmoid(), "nn"),
    "relu": (lambda L, a, b: _nf(L).relu(a) * b * b, "nn"),
    "leaky_relu": (lambda L, a, b: _nf(L).leaky_relu(a * b, 0.1) * a, "nn"),
    "elu": (lambda L, a, b: _nf(L).elu(a * b), "nn"),
    "softplus": (lambda L, a, b: _nf(L).softplus(a * b), "nn"),
    "softplus_beta": (lambda L, a, b: _nf(L).softplus(a * b, beta=2.0), "nn"),
    "gelu": (lambda L, a, b: _nf(L).gelu(a * b), "nn"),
    "gelu_tanh": (lambda L, a, b: _nf(L).gelu(a * b, approximate="tanh"), "nn"),
    "silu": (lambda L, a, b: _nf(L).silu(a * b), "nn"),
    "erf": (lambda L, a, b: (a * b).erf(), "nn"),
    "matmul": (lambda L, a, b: (a @ b.T) ** 2, "nn"),
    "matmul_vec": (lambda L, a, b: (a @ b[0]) ** 2, "nn"),
    "bmm": (lambda L, a, b: L.bmm(a.reshape(2, 3, 2), b.reshape(2, 2, 3)) ** 2, "nn"),
    "linear": (lambda L, a, b: _nf(L).linear(a * a, b, b[:, 0] * b[:, 1]).tanh(), "nn"),
    "sum_mean_dims": (lambda L, a, b: (a * b).sum(1) * (a * a).mean(0, keepdim=True)[0, :3], "nn"),
    "reshape_view_flatten": (lambda L, a, b: (a * b).reshape(4, 3).view(12).flatten() ** 2, "nn"),
    "transpose_permute": (lambda L, a, b: (a.t() * b.transpose(0, 1)).permute(1, 0) ** 2, "nn"),
    "squeeze_unsqueeze": (lambda L, a, b: (a.unsqueeze(0) * b).squeeze(0) ** 3, "nn"),
    "expand": (lambda L, a, b: a[:1].expand(3, 4) * b * a, "nn"),
    "index": (lambda L, a, b: a[1] * b[L.tensor([0, 2, 2])] ** 2, "nn"),
    "cat_stack": (
        lambda L, a, b: L.cat([a * b, a], 1) * L.stack([b, a], 0).sum(0).repeat(1, 2),
        "nn",
    ),
    "norm": (lambda L, a, b: (a * b).norm(2, dim=1) + (a * b).norm(), "nn"),
    "clamp": (lambda L, a, b: (a * b).clamp(-0.5, 0.5) * a, "nn"),
    "max_min": (
        lambda L, a, b: (a * b).max(dim=1)[0].unsqueeze(1) * (a * a).min() + L.maximum(a, b) * a,
        "nn",
    ),
    "mse_loss": (lambda L, a, b: _nf(L).mse_loss(a * a, b), "nn"),
    "l1_loss": (lambda L, a, b: _nf(L).l1_loss(a * a, b) * a.sum(), "nn"),
    "softmax": (lambda L, a, b: _nf(L).softmax(a * b, dim=1), "nn"),
    "log_softmax": (lambda L, a, b: _nf(L).log_softmax(a * b, dim=0), "nn"),
    "cross_entropy": (lambda L, a, b: _nf(L).cross_entropy(a * b, L.tensor(TARGET)), "nn"),
    "nll_loss": (
        lambda L, a, b: _nf(L).nll_loss(_nf(L).log_softmax(a * b, 1), L.tensor(TARGET)),
        "nn",
    ),
    "bce": (
        lambda L, a, b: _nf(L).binary_cross_entropy((a * b).sigmoid(), b.detach().sigmoid()),
        "nn",
    ),
    "bce_with_logits": (
        lambda L, a, b: _nf(L).binary_cross_entropy_with_logits(a * b, b.detach().sigmoid()),
        "nn",
    ),
    "var_std": (lambda L, a, b: (a * b).var(1) + (a * b).std(0).sum(), "nn"),
    "layer_norm": (lambda L, a, b: _nf(L).layer_norm(a * b, (4,), b[0], a[1] * a[2]) ** 2, "nn"),
    "layer_norm_plain": (lambda L, a, b: _nf(L).layer_norm(a * a + b, (3, 4)).sin(), "nn"),
    "batch_norm": (
        lambda L, a, b: _nf(L).batch_norm(a * b, None, None, b[0], a[0], True) ** 2,
        "nn",
    ),
    "where": (lambda L, a, b: L.where(a > 0, a * b, b * b), "nn"),
}


def _inputs(kind, rng):
    a = rng.standard_normal(SHAPE)
    b = rng.standard_normal(SHAPE)
    if kind[0] == "p":
        a = np.abs(a) + 0.5
    if kind[1] == "p":
        b = np.abs(b) + 0.5
    return a, b


def _second(lib, fn, arrays, v, w):
    """(f, grad <df, v>, grad of <grad, w>) on lib, as NumPy arrays."""
    xs = [lib.tensor(x, requires_grad=True) for x in arrays]
    y = fn(lib, *xs)
    v_t = lib.tensor(v.reshape(y.shape))
    grads = lib.autograd.grad(y, xs, v_t, create_graph=True)
    inner = sum((g * lib.tensor(wi)).sum() for g, wi in zip(grads, w))
    seconds = lib.autograd.grad(inner, xs, allow_unused=True)
    return [g.detach().numpy() for g in grads], [
        np.zeros_like(x) if s is None else s.numpy() for s, x in zip(seconds, arrays)
    ]


@pytest.mark.parametrize("name", sorted(CASES))
def test_grad_of_grad_matches_torch(name):
    fn, kind = CASES[name]
    rng = np.random.default_rng(sum(map(ord, name)))
    arrays = _inputs(kind, rng)
    y = fn(torch, *[torch.tensor(x) for x in arrays])
    v = rng.standard_normal(tuple(y.shape))
    w = [rng.standard_normal(SHAPE) for _ in arrays]
    first, second = _second(cr, fn, arrays, v, w)
    first_t, second_t = _second(torch, fn, arrays, v, w)
    for mine, theirs in zip(first + second, first_t + second_t):
        np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-10)


def test_third_derivative_of_x_to_the_fourth():
    x = cr.tensor([0.5, -2.0, 3.0], dtype=cr.float64, requires_grad=True)
    (g1,) = cr.autograd.grad((x**4).sum(), x, create_graph=True)
    (g2,) = cr.autograd.grad(g1.sum(), x, create_graph=True)
    (g3,) = cr.autograd.grad(g2.sum(), x, create_graph=True)
    (g4,) = cr.autograd.grad(g3.sum(), x)
    xs = x.detach().numpy()
    np.testing.assert_allclose(g1.detach().numpy(), 4 * xs**3)
    np.testing.assert_allclose(g2.detach().numpy(), 12 * xs**2)
    np.testing.assert_allclose(g3.detach().numpy(), 24 * xs)
    np.testing.assert_allclose(g4.numpy(), [24.0] * 3)


def test_third_derivative_of_a_composite_matches_torch():
    def third(lib):
        x = lib.tensor([0.3, -0.7, 1.1], dtype=lib.float64, requires_grad=True)
        y = (x.sin() * x.exp() + x.tanh() ** 3).sum()
        for _ in range(2):
            (y,) = lib.autograd.grad(y, x, create_graph=True)
            y = y.sum()
        return lib.autograd.grad(y, x)[0].numpy()

    np.testing.assert_allclose(third(cr), third(torch), rtol=1e-10)
