"""A 0-d input, index or src of gather / scatter reads as 1-d of size 1, as torch (the
tutorials' one-hot target_transform), and torch.X(..., out=t) writes its result into t."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle

SCALAR_CASES = {
    "one_hot_value": lambda t: t.zeros(10).scatter_(0, t.tensor(3), value=1),
    "keyword_form": lambda t: t.zeros(10).scatter_(dim=0, index=t.tensor(3), value=1),
    "0d_src": lambda t: t.zeros(4).scatter(0, t.tensor(2), t.tensor(7.0)),
    "1d_src": lambda t: t.zeros(4).scatter(0, t.tensor(2), t.tensor([7.0, 8.0])),
    "0d_input": lambda t: t.tensor(0.0).scatter(0, t.tensor([0]), 3.0),
    "all_0d": lambda t: t.tensor(0.0).scatter(0, t.tensor(0), 3.0),
    "scatter_add": lambda t: t.zeros(4).scatter_add(0, t.tensor(2), t.tensor(7.0)),
    "scatter_reduce": lambda t: t.ones(4).scatter_reduce(0, t.tensor(2), t.tensor(7.0), "prod"),
    "gather_0d_index": lambda t: t.arange(4.0).gather(0, t.tensor(2)),
    "gather_0d_input": lambda t: t.tensor(5.0).gather(0, t.tensor([0])),
    "gather_function": lambda t: t.gather(t.arange(4.0), -1, t.tensor(1)),
}


@pytest.mark.parametrize("case", SCALAR_CASES)
def test_0d_index_or_input_reads_as_one_element(case):
    ours, theirs = SCALAR_CASES[case](cr), SCALAR_CASES[case](torch)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_0d_index_keeps_gradients():
    for lib in (cr, torch):
        x = lib.arange(4.0, requires_grad=True)
        src = lib.tensor(5.0, requires_grad=True)
        (x.scatter(0, lib.tensor(1), src) * lib.arange(4.0)).sum().backward()
        picked = lib.arange(4.0, requires_grad=True)
        (picked.gather(0, lib.tensor(2)) * 3).backward()
        assert x.grad.tolist() == [0.0, 0.0, 2.0, 3.0] and src.grad.item() == 1.0
        assert picked.grad.tolist() == [0.0, 0.0, 3.0, 0.0]


def test_0d_index_on_a_matrix_is_still_refused():
    with pytest.raises(cr.ShapeError, match="scatter: expected an integer index with 2 dims"):
        cr.zeros(2, 3).scatter(1, cr.tensor(1), 1.0)
    with pytest.raises(RuntimeError):
        torch.zeros(2, 3).scatter(1, torch.tensor(1), 1.0)


OUT_CASES = {
    "matmul": (lambda t, a, out: t.matmul(a, a.T, out=out), (4, 4)),
    "mul": (lambda t, a, out: t.mul(a, a, out=out), (4, 4)),
    "add_alpha": (lambda t, a, out: t.add(a, a, alpha=2, out=out), (4, 4)),
    "sub": (lambda t, a, out: t.sub(a, 1.5, out=out), (4, 4)),
    "div": (lambda t, a, out: t.div(a, 2, out=out), (4, 4)),
    "mm": (lambda t, a, out: t.mm(a, a, out=out), (4, 4)),
    "exp": (lambda t, a, out: t.exp(a, out=out), (4, 4)),
    "sum_dim": (lambda t, a, out: t.sum(a, 0, out=out), (4,)),
    "mean_dim": (lambda t, a, out: t.mean(a, 1, out=out), (4,)),
    "clamp": (lambda t, a, out: t.clamp(a, 0.2, 0.8, out=out), (4, 4)),
    "pow": (lambda t, a, out: t.pow(a, 2, out=out), (4, 4)),
    "maximum": (lambda t, a, out: t.maximum(a, a.T, out=out), (4, 4)),
    "cat": (lambda t, a, out: t.cat([a, a], out=out), (8, 4)),
    "stack": (lambda t, a, out: t.stack([a, a], dim=1, out=out), (4, 2, 4)),
    "where": (lambda t, a, out: t.where(a > 0.5, a, -a, out=out), (4, 4)),
    "cumsum": (lambda t, a, out: t.cumsum(a, 1, out=out), (4, 4)),
    "bmm": (lambda t, a, out: t.bmm(a[None], a[None], out=out), (1, 4, 4)),
    "softmax": (lambda t, a, out: t.softmax(a, 1, out=out), (4, 4)),
    "std": (lambda t, a, out: t.std(a, 0, out=out), (4,)),
    "addmm": (lambda t, a, out: t.addmm(a, a, a, beta=0.5, out=out), (4, 4)),
    "tril": (lambda t, a, out: t.tril(a, out=out), (4, 4)),
    "gather": (lambda t, a, out: t.gather(a, 1, t.tensor([[0], [1], [2], [3]]), out=out), (4, 1)),
    "linspace": (lambda t, a, out: t.linspace(0, 1, 4, out=out), (4,)),
    "full": (lambda t, a, out: t.full((4, 4), 2.5, out=out), (4, 4)),
}


@pytest.mark.parametrize("case", OUT_CASES)
def test_out_receives_the_result(case):
    call, shape = OUT_CASES[case]
    values = np.random.default_rng(7).random((4, 4)).astype(np.float32)
    results = []
    for lib in (cr, torch):
        out = lib.zeros(*shape)
        returned = call(lib, lib.from_numpy(values.copy()), out)
        assert returned is out
        results.append(out.numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)


def test_out_argmax_keeps_its_integer_dtype():
    x = cr.tensor([[1.0, 3.0], [4.0, 2.0]])
    out = cr.zeros(2, dtype=cr.long)
    assert cr.argmax(x, 1, out=out) is out and out.tolist() == [1, 0]


def test_out_refuses_a_wrong_shape_and_a_graph():
    with pytest.raises(cr.ShapeError, match=r"out=: expected a tensor of the result's shape"):
        cr.mul(cr.ones(2, 2), 2, out=cr.zeros(3))
    with pytest.raises(cr.GraphError, match="out=: expected inputs that need no gradient"):
        cr.matmul(cr.ones(2, 2, requires_grad=True), cr.ones(2, 2), out=cr.zeros(2, 2))
    with pytest.raises(TypeError):
        cr.clone(cr.ones(2), out=cr.zeros(2))  # torch.clone has no out=, nor do views


def test_a_factory_writing_into_out_makes_out_dtype():
    for lib in (cr, torch):
        counts = lib.zeros(5, dtype=lib.long)
        assert lib.arange(5, out=counts) is counts and counts.tolist() == [0, 1, 2, 3, 4]
        floats = lib.empty(3)
        lib.arange(3, out=floats)
        assert floats.dtype == lib.float32 and floats.tolist() == [0.0, 1.0, 2.0]
        lib.zeros(3, out=floats)
        assert floats.tolist() == [0.0, 0.0, 0.0]
        assert lib.randn(2, 3, out=lib.empty(2, 3)).shape == (2, 3)
