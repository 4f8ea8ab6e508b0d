"""torch.func.vmap against torch 2.13: in_dims/out_dims (None, negative, nested), chunk_size,
randomness, per-sample gradients, gradients through a vmap'ed function, and its errors."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.errors import ArgumentError, GraphError, ShapeError

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")

rng = np.random.default_rng(71)
X = rng.standard_normal((5, 3)).astype(np.float32)
Y = rng.standard_normal((3, 5)).astype(np.float32)
W = rng.standard_normal((2, 3)).astype(np.float32)


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
        np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-5, atol=1e-6)


def _run(build, *arrays):
    return [build(lib)(*[lib.tensor(a) for a in arrays]) for lib in (cr, torch)]


@pytest.mark.parametrize(
    "in_dims, out_dims",
    [(0, 0), ((0, 1), 0), ((0, -1), (1, 0)), ((0, None), 0), ((1, 0), -1), ((0, 1), (-2, -1))],
)
def test_in_dims_and_out_dims(in_dims, out_dims):
    def build(lib):
        def f(a, b):
            b = b if b.dim() == 1 else b[:, 0]
            return (a * b, (a @ b).exp())

        return lib.func.vmap(f, in_dims=in_dims, out_dims=out_dims)

    y = (
        Y
        if in_dims in ((0, 1), (0, -1))
        else (Y.T.copy() if in_dims != (0, None) else Y[:, :1].T[0])
    )
    if in_dims == (1, 0):
        ours, theirs = _run(build, X.T.copy(), Y.T.copy())
    else:
        ours, theirs = _run(build, X, y)
    _close(ours, theirs)


def test_nested_in_dims_for_a_dict_and_tuple_argument():
    def build(lib):
        def f(p, pair):
            return p["w"] @ pair[0] + pair[1].sum()

        return lambda w, x, y: lib.func.vmap(f, in_dims=({"w": None}, (0, 1)))({"w": w}, (x, y))

    ours, theirs = _run(build, W, X, Y)
    _close(ours, theirs)


def test_out_dims_none_and_kwargs_are_not_mapped():
    def build(lib):
        return lambda x, w: lib.func.vmap(
            lambda a, scale=1.0: (a * scale, w), in_dims=0, out_dims=(0, None)
        )(x, scale=2.0)

    ours, theirs = _run(build, X, W)
    _close(ours, theirs)


def test_nested_vmap_and_chunk_size():
    def build(lib):
        inner = lib.func.vmap(lambda a, b: a * b, in_dims=(0, None))
        return lib.func.vmap(inner, in_dims=(None, 1), chunk_size=2)

    ours, theirs = _run(build, X[:, 0].copy(), Y)
    _close(ours, theirs)


def _per_sample(lib, w, b, x, y):
    model = lib.nn.Linear(3, 2)
    params = {"weight": w, "bias": b}

    def loss(p, xi, yi):
        out = lib.func.functional_call(model, p, (xi.unsqueeze(0),))
        return lib.nn.functional.cross_entropy(out, yi.unsqueeze(0))

    return lib.func.vmap(lib.func.grad(loss), in_dims=(None, 0, 0))(params, x, y)


def test_per_sample_gradients_as_in_torchs_tutorial():
    labels = np.array([0, 1, 1, 0, 1])
    ours = _per_sample(cr, cr.tensor(W), cr.tensor(W[:, 0].copy()), cr.tensor(X), cr.tensor(labels))
    theirs = _per_sample(
        torch, torch.tensor(W), torch.tensor(W[:, 0].copy()), torch.tensor(X), torch.tensor(labels)
    )
    _close(ours, theirs)
    assert tuple(ours["weight"].shape) == (5, 2, 3)


def test_gradients_flow_through_vmap_to_inputs_and_closed_over_tensors():
    grads = []
    for lib in (cr, torch):
        w = lib.tensor(W, requires_grad=True)
        x = lib.tensor(X, requires_grad=True)
        out = lib.func.vmap(lambda xi, w=w: (w @ xi).tanh())(x)
        (out**2).sum().backward()
        grads.append((w.grad, x.grad))
    _close(grads[0], grads[1])


def test_randomness():
    for lib in (cr, torch):
        with pytest.raises(RuntimeError, match="random"):
            lib.func.vmap(lambda x, lib=lib: x + lib.rand(()))(lib.ones(3))
    cr.manual_seed(0)
    same = cr.func.vmap(lambda x: x + cr.rand(()), randomness="same")(cr.zeros(3))
    assert len(set(same.tolist())) == 1
    different = cr.func.vmap(lambda x: x + cr.rand(()), randomness="different")(cr.zeros(3))
    assert len(set(different.tolist())) == 3


def test_errors():
    with pytest.raises(ShapeError, match=r"same size in the mapped dimension, got sizes \[2, 3\]"):
        cr.func.vmap(lambda a, b: a + b)(cr.ones(2), cr.ones(3))
    with pytest.raises(ValueError):
        torch.func.vmap(lambda a, b: a + b)(torch.ones(2), torch.ones(3))
    with pytest.raises(ArgumentError, match="one entry per positional input"):
        cr.func.vmap(lambda a: a, in_dims=(0, 0))(cr.ones(2))
    with pytest.raises(ArgumentError, match="at least one Tensor input to be mapped"):
        cr.func.vmap(lambda a: a, in_dims=None)(cr.ones(2))
    with pytest.raises(ShapeError, match="expected in_dim within the 1 dimensions"):
        cr.func.vmap(lambda a: a, in_dims=1)(cr.ones(2))
    with pytest.raises(ArgumentError, match="to return Tensors, got float"):
        cr.func.vmap(lambda a: 1.0)(cr.ones(2))
    for lib in (cr, torch):  # a per-element output of 0 dimensions stacks along dim 0 or -1 only
        with pytest.raises(IndexError):
            lib.func.vmap(lambda a: a.sum(), out_dims=1)(lib.ones(5, 3))
    with pytest.raises(ArgumentError, match="randomness"):
        cr.func.vmap(lambda a: a, randomness="sometimes")
    assert issubclass(GraphError, RuntimeError)
