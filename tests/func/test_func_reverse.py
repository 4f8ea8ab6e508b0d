"""torch.func's reverse-mode transforms (grad, grad_and_value, vjp, jacrev) against torch 2.13:
values, shapes, tree structure, and the errors torch raises."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.errors import ArgumentError

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")

rng = np.random.default_rng(70)
A = rng.standard_normal((3, 4)).astype(np.float32)
B = rng.standard_normal(4).astype(np.float32)


def _both(fn, *arrays):
    return fn(cr, *[cr.tensor(a) for a in arrays]), fn(torch, *[torch.tensor(a) for a in arrays])


def _close(ours, theirs):
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs)
        for k in theirs:
            _close(ours[k], theirs[k])
    elif isinstance(theirs, (tuple, list)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _close(a, b)
    else:
        assert tuple(ours.shape) == tuple(theirs.shape)
        np.testing.assert_allclose(
            ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-5, atol=1e-6
        )


def _loss(lib, w, b, x):
    return ((x @ w.T + b).tanh() ** 2).mean()


@pytest.mark.parametrize("argnums", [0, 1, (0, 1), (1, 0), -1])
def test_grad_argnums(argnums):
    w, x = A, rng.standard_normal((5, 4)).astype(np.float32)
    b = B[:3].copy()
    ours, theirs = _both(
        lambda lib, w, b, x: lib.func.grad(lambda *a: _loss(lib, *a), argnums)(w, b, x), w, b, x
    )
    _close(ours, theirs)


def test_grad_and_value_with_aux_and_dict_of_params():
    def run(lib, w, b):
        def f(params, x):
            y = (x @ params["w"]).sin()
            return y.sum(), {"y": y}

        return lib.func.grad_and_value(f, has_aux=True)({"w": w, "b": b}, b)

    (g, (value, aux)), (tg, (tvalue, taux)) = _both(run, A.T.copy(), A[0].copy())
    _close(g, tg)
    _close(value, tvalue)
    _close(aux, taux)


def test_grad_of_an_unused_input_is_zeros_and_of_a_constant_output_too():
    ours, theirs = _both(
        lambda lib, x, y: lib.func.grad(lambda a, b: (a * 2).sum(), (0, 1))(x, y), B, B
    )
    _close(ours, theirs)
    ours, theirs = _both(lambda lib, x: lib.func.grad(lambda a: lib.ones(()))(x), B)
    _close(ours, theirs)


def test_grad_leaves_the_arguments_and_closure_alone():
    w = cr.tensor(A, requires_grad=True)
    x = cr.tensor(B, requires_grad=True)
    g = cr.func.grad(lambda x: (w @ x).sum())(x)
    assert w.grad is None and x.grad is None and not g.requires_grad
    (w * 2).sum().backward()  # the closure's graph still works
    np.testing.assert_allclose(w.grad.numpy(), 2 * np.ones_like(A))


def test_vjp_and_its_function_with_tuple_outputs():
    def run(lib, x, y):
        out, fn = lib.func.vjp(lambda a, b: (a * b, (a + b).exp()), x, y)
        return out, fn((lib.ones(4), lib.ones(4) * 2))

    ours, theirs = _both(run, B, B[::-1].copy())
    _close(ours, theirs)


def test_vjp_has_aux():
    def run(lib, x):
        out, fn, aux = lib.func.vjp(lambda a: (a.sin(), a.cos()), x, has_aux=True)
        return out, fn(lib.ones(4)), aux

    ours, theirs = _both(run, B)
    _close(ours, theirs)


@pytest.mark.parametrize("argnums", [0, (0, 1)])
def test_jacrev_shapes_and_values(argnums):
    def run(lib, x, y):
        return lib.func.jacrev(lambda a, b: ((a @ b).tanh(), a.sum() * b), argnums=argnums)(x, y)

    ours, theirs = _both(run, A, B)
    _close(ours, theirs)


def test_jacrev_has_aux_and_a_dict_input():
    def run(lib, x):
        return lib.func.jacrev(lambda p: ((p["a"] ** 2), p["a"].sum()), has_aux=True)({"a": x})

    ours, theirs = _both(run, A)
    _close(ours, theirs)


def test_grad_of_a_non_scalar_is_refused():
    for lib in (cr, torch):
        with pytest.raises(RuntimeError, match="scalar"):
            lib.func.grad(lambda x: x * 2)(lib.ones(3))
    with pytest.raises(ArgumentError, match=r"expected f\(\*args\) to return a scalar Tensor"):
        cr.func.grad(lambda x: x * 2)(cr.ones(3))


def test_has_aux_without_a_pair_is_refused():
    for lib in (cr, torch):
        with pytest.raises(RuntimeError, match="tuple"):
            lib.func.grad(lambda x: x.sum(), has_aux=True)(lib.ones(3))
    with pytest.raises(ArgumentError, match=r"has_aux=True, got Tensor"):
        cr.func.grad(lambda x: x.sum(), has_aux=True)(cr.ones(3))


def test_bad_argnums_are_refused():
    for lib in (cr, torch):
        with pytest.raises(RuntimeError):
            lib.func.grad(lambda x: x.sum(), argnums=2)(lib.ones(3))
    with pytest.raises(ArgumentError, match="within the 1 positional inputs, got 2"):
        cr.func.grad(lambda x: x.sum(), argnums=2)(cr.ones(3))
    with pytest.raises(ArgumentError, match="to be Tensors"):
        cr.func.grad(lambda x: x)(3.0)


def test_vjp_fn_refuses_a_cotangent_of_another_shape():
    _, fn = cr.func.vjp(lambda a: a * 2, cr.ones(3))
    with pytest.raises(ArgumentError, match=r"expected a cotangent of shape \(3,\), got \(2,\)"):
        fn(cr.ones(2))
