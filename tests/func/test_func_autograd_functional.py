"""torch.autograd.functional (jacobian, hessian, vjp, jvp, hvp, vhp) and torch.func's forward
transforms (jvp, jacfwd, hessian) against torch 2.13: values and tuple structure."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.errors import ArgumentError, GraphError, UnsupportedError

pytestmark = [
    pytest.mark.oracle,
    pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning"),
]
torch = pytest.importorskip("torch")

rng = np.random.default_rng(73)
A = rng.standard_normal((2, 3)).astype(np.float32)
B = rng.standard_normal(3).astype(np.float32)
V = rng.standard_normal(3).astype(np.float32)


def _close(ours, theirs):
    if isinstance(theirs, (tuple, list)):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _close(a, b)
    else:
        assert isinstance(ours, cr.Tensor) and tuple(ours.shape) == tuple(theirs.shape)
        np.testing.assert_allclose(
            ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-4, atol=1e-5
        )


def _both(call, *arrays):
    return [call(lib, *[lib.tensor(a) for a in arrays]) for lib in (cr, torch)]


def _one(lib, x):
    return (x.sin() * x.sum()).tanh()


def _two(lib, x, y):
    return ((x @ y).exp(), x.sum(dim=0) * y)


def _scalar(lib, x, y):
    return (x.tanh() @ y.sin()).sum() + (y**3).sum()


@pytest.mark.parametrize("strategy", ["reverse-mode", "forward-mode"])
@pytest.mark.parametrize("case", ["one-one", "tuple-one", "one-tuple", "tuple-tuple"])
def test_jacobian_structure_and_values(case, strategy):
    def call(lib, x, y):
        F = lib.autograd.functional
        kw = {"strategy": strategy, "vectorize": strategy == "forward-mode"}
        if case == "one-one":
            return F.jacobian(lambda a: _one(lib, a), y, **kw)
        if case == "tuple-one":
            return F.jacobian(lambda a, b: (a @ b).exp(), (x, y), **kw)
        if case == "one-tuple":
            return F.jacobian(lambda b: _two(lib, x, b), y, **kw)
        return F.jacobian(lambda a, b: _two(lib, a, b), (x, y), **kw)

    ours, theirs = _both(call, A, B)
    _close(ours, theirs)


@pytest.mark.parametrize("tupled", [False, True])
def test_hessian_structure_and_values(tupled):
    def call(lib, x, y):
        F = lib.autograd.functional
        if tupled:
            return F.hessian(lambda a, b: _scalar(lib, a, b), (x, y))
        return F.hessian(lambda b: _scalar(lib, x, b), y)

    ours, theirs = _both(call, A, B)
    _close(ours, theirs)


@pytest.mark.parametrize("name", ["vjp", "jvp", "hvp", "vhp"])
def test_products(name):
    def call(lib, x, y, v):
        F = lib.autograd.functional
        if name == "vjp":
            return F.vjp(lambda a, b: _two(lib, a, b), (x, y), (lib.ones(2), v))
        if name == "jvp":
            return F.jvp(lambda b: _two(lib, x, b), y, v)
        return getattr(F, name)(lambda a, b: _scalar(lib, a, b), (x, y), (x * 0 + 1, v))

    ours, theirs = _both(call, A, B, V)
    _close(ours, theirs)


def test_single_element_defaults_for_v():
    ours, theirs = _both(lambda lib, x: lib.autograd.functional.vjp(lambda a: a.exp().sum(), x), B)
    _close(ours, theirs)
    ours, theirs = _both(
        lambda lib, x: lib.autograd.functional.hvp(lambda a: (a**3).sum(), x[:1]), B
    )
    _close(ours, theirs)


def test_func_jvp_jacfwd_hessian():
    def call(lib, x, y):
        f = lambda a, b: _two(lib, a, b)  # noqa: E731
        return (
            lib.func.jvp(f, (x, y), (x * 0 + 1, y * 2)),
            lib.func.jacfwd(f, argnums=(0, 1))(x, y),
            lib.func.hessian(lambda a, b: _scalar(lib, a, b), argnums=1)(x, y),
            lib.func.jacfwd(lambda a: (a.sin(), a.cos().sum()), has_aux=True)(y),
        )

    ours, theirs = _both(call, A, B)
    _close(ours, theirs)


def test_strict_refuses_an_independent_output():
    for lib in (cr, torch):
        with pytest.raises(RuntimeError, match="independent of input"):
            lib.autograd.functional.jacobian(
                lambda a, b: a * 2, (lib.ones(2), lib.ones(2)), strict=True
            )
    with pytest.raises(GraphError, match="independent of input 1"):
        cr.autograd.functional.vjp(
            lambda a, b: (a * 2).sum(), (cr.ones(2), cr.ones(2)), strict=True
        )


def test_errors():
    F = cr.autograd.functional
    with pytest.raises(TypeError, match="Tensor or a tuple of Tensors, got list at index 0"):
        F.jacobian(lambda a: a, ([1.0],))
    with pytest.raises(ArgumentError, match="expected v when"):
        F.vjp(lambda a: a * 2, cr.ones(2))
    with pytest.raises(ArgumentError, match=r"single-element Tensor, got \(2,\)"):
        F.hessian(lambda a: a * 2, cr.ones(2))
    with pytest.raises(ArgumentError, match="primals to be a tuple"):
        cr.func.jvp(lambda a: a, cr.ones(2), cr.ones(2))
    with pytest.raises(UnsupportedError, match="one level of tangents"):
        cr.func.jacfwd(cr.func.jacfwd(lambda a: a.sin()))(cr.ones(2))


def test_create_graph_gives_a_differentiable_jacobian():
    x = cr.tensor(B, requires_grad=True)
    jac = cr.autograd.functional.jacobian(lambda a: a**3, x, create_graph=True)
    jac.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 6 * B, rtol=1e-5)
