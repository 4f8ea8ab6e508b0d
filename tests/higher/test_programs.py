"""Programs that need create_graph=True, run on torch and on chainrule with the same weights:
a WGAN-GP critic step, a Hessian-vector product, MAML's inner step and outer backward, a
PINN-style d2u/dx2, and autograd.functional with create_graph=True."""

import warnings

import numpy as np
import pytest

import chainrule as cr

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")
rng = np.random.default_rng(2026)
W1, B1 = rng.standard_normal((8, 3)) * 0.5, rng.standard_normal(8) * 0.1
W2, B2 = rng.standard_normal((1, 8)) * 0.5, rng.standard_normal(1) * 0.1
X, Y = rng.standard_normal((5, 3)), rng.standard_normal((5, 1))
V = [rng.standard_normal(a.shape) for a in (W1, B1, W2, B2)]


def _params(lib):
    return [lib.tensor(a, requires_grad=True) for a in (W1, B1, W2, B2)]


def _mlp(lib, params, x, act="tanh"):
    F = lib.nn.functional
    w1, b1, w2, b2 = params
    h = F.linear(x, w1, b1)
    h = F.leaky_relu(h, 0.2) if act == "leaky" else h.tanh()
    return F.linear(h, w2, b2)


def _close(mine, theirs, rtol=1e-9):
    for m, t in zip(mine, theirs):
        np.testing.assert_allclose(np.asarray(m), np.asarray(t), rtol=rtol, atol=1e-11)


def test_wgan_gp_gradient_penalty_step():
    def step(lib):
        params = _params(lib)
        x_hat = lib.tensor(X, requires_grad=True)
        out = _mlp(lib, params, x_hat, "leaky")
        (grad,) = lib.autograd.grad(out.sum(), x_hat, create_graph=True)
        penalty = ((grad.norm(2, dim=1) - 1) ** 2).mean()
        (out.mean() + 10 * penalty).backward()
        return [penalty.item()] + [p.grad.numpy() for p in params]

    _close(step(cr), step(torch))


def test_hessian_vector_product_through_grad():
    def hvp(lib):
        params = _params(lib)
        loss = lib.nn.functional.mse_loss(_mlp(lib, params, lib.tensor(X)), lib.tensor(Y))
        g = lib.autograd.grad(loss, params, create_graph=True)
        inner = sum((gi * lib.tensor(v)).sum() for gi, v in zip(g, V))
        return [h.numpy() for h in lib.autograd.grad(inner, params)]

    _close(hvp(cr), hvp(torch))


def test_maml_inner_step_and_outer_backward():
    def maml(lib):
        F = lib.nn.functional
        params = _params(lib)
        inner = F.mse_loss(_mlp(lib, params, lib.tensor(X[:3])), lib.tensor(Y[:3]))
        grads = lib.autograd.grad(inner, params, create_graph=True)
        fast = [p - 0.1 * g for p, g in zip(params, grads)]
        outer = F.mse_loss(_mlp(lib, fast, lib.tensor(X[3:])), lib.tensor(Y[3:]))
        outer.backward()
        return [outer.item()] + [p.grad.numpy() for p in params]

    _close(maml(cr), maml(torch))


def test_pinn_second_derivative_in_x():
    def pinn(lib):
        params = _params(lib)
        x = lib.tensor(X, requires_grad=True)
        u = _mlp(lib, params, x)
        (du,) = lib.autograd.grad(u, x, lib.ones_like(u), create_graph=True)
        (d2u,) = lib.autograd.grad(du[:, 0], x, lib.ones_like(du[:, 0]), create_graph=True)
        residual = ((d2u[:, 0] + u[:, 0]) ** 2).mean()
        residual.backward()
        return [d2u.detach().numpy(), residual.item()] + [p.grad.numpy() for p in params]

    _close(pinn(cr), pinn(torch))


def test_backward_create_graph_leaves_grad_with_a_graph_and_warns_as_torch():
    x = cr.tensor([1.0, 2.0], dtype=cr.float64, requires_grad=True)
    with pytest.warns(UserWarning, match="reference cycle between the parameter and its gradient"):
        (x**3).sum().backward(create_graph=True)
    assert x.grad.grad_fn is not None and x.grad.requires_grad
    np.testing.assert_allclose(x.grad.detach().numpy(), [3.0, 12.0])
    g = x.grad
    x.grad = None
    g.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 12.0])
    y = cr.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a constant gradient has no graph: no cycle, no warning
        (y * 2).sum().backward(create_graph=True)
    assert y.grad.grad_fn is None and y.grad.tolist() == [2.0, 2.0]


def test_create_graph_accumulates_out_of_place_and_retains_the_graph():
    x = cr.tensor([1.0, 2.0], dtype=cr.float64, requires_grad=True)
    y = (x**2).sum()
    with pytest.warns(UserWarning):
        y.backward(create_graph=True)
        y.backward(create_graph=True)  # retain_graph defaults to create_graph, as torch
    assert x.grad.tolist() == [4.0, 8.0] and x.grad.grad_fn is not None


def test_autograd_backward_with_inputs_and_create_graph():
    x = cr.tensor([1.0, 2.0], dtype=cr.float64, requires_grad=True)
    cr.autograd.backward((x**3).sum(), inputs=[x], create_graph=True)
    (second,) = cr.autograd.grad(x.grad.sum(), x)
    assert second.tolist() == [6.0, 12.0]


def test_functional_hessian_and_hvp_with_create_graph_keep_graphs():
    def run(lib):
        F = lib.autograd.functional
        x = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)
        f = lambda t: (t.sin() * t**2).sum()  # noqa: E731
        h = F.hessian(f, x, create_graph=True)
        _, hv = F.hvp(f, x, lib.ones_like(x), create_graph=True)
        _, vj = F.vjp(lambda t: t**3, x, lib.ones_like(x), create_graph=True)
        _, jv = F.jvp(lambda t: t**3, x, lib.ones_like(x), create_graph=True)
        jac = F.jacobian(lambda t: t.exp() * t, x, create_graph=True)
        total = h.sum() + hv.sum() + vj.sum() + jv.sum() + jac.sum()
        (gx,) = lib.autograd.grad(total, x)
        return [h.detach().numpy(), hv.detach().numpy(), jac.detach().numpy(), gx.numpy()]

    _close(run(cr), run(torch))


def test_an_op_without_a_formula_is_named_only_when_create_graph_reaches_it():
    x = cr.ones(1, 3, 2, 2, requires_grad=True)
    y = cr.nn.CrossMapLRN2d(3)(x).sum()
    cr.autograd.grad(y, x, retain_graph=True)  # first order: fine
    with pytest.raises(
        cr.errors.UnsupportedError,
        match=r"create_graph=True\): expected ops .*, got CrossMapLRN \(cross_map_lrn2d\)",
    ):
        cr.autograd.grad(y, x, create_graph=True)
    with pytest.raises(NotImplementedError):  # torch programs catch it as NotImplementedError too
        cr.autograd.grad(y, x, create_graph=True)


def test_torch_style_function_with_tensor_backward_differentiates_twice():
    class Cube(cr.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * 3 * x**2

    x = cr.tensor([2.0], dtype=cr.float64, requires_grad=True)
    (g,) = cr.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
    (h,) = cr.autograd.grad(g.sum(), x)
    assert g.item() == 12.0 and h.item() == 12.0


def test_cpugraph_capture_refuses_create_graph_clearly():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    g = cr.CPUGraph()
    with pytest.raises(cr.GraphError, match="create_graph=False inside a CPUGraph capture"):
        with cr.graph(g):
            cr.autograd.grad((x**2).sum(), x, create_graph=True)
