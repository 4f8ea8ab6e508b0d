"""sort, topk, gather, diag and the rest of the selections: values, indices, dtypes and
gradients against torch; their errors in the house template."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from tests.torch_oracle import compare  # noqa: E402

pytestmark = pytest.mark.oracle


def _both(fn, *arrays, rng, **kw):
    """fn written once, called on chainrule's module and torch's; values and gradients compared."""
    return compare(lambda *t: fn(cr, *t, **kw), lambda *t: fn(torch, *t, **kw), list(arrays), rng)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x: m.sort(x, dim=1).values,
        lambda m, x: m.sort(x, dim=0, descending=True).values,
        lambda m, x: x.sort(descending=True)[0] * 2,
        lambda m, x: m.topk(x, 2).values,
        lambda m, x: x.topk(2, dim=0, largest=False).values,
        lambda m, x: m.kthvalue(x, 2, dim=1).values,
        lambda m, x: x.kthvalue(3, 0, keepdim=True)[0],
        lambda m, x: m.cumsum(x, dim=1),
        lambda m, x: x.cumsum(0),
        lambda m, x: m.gather(x, 1, m.tensor([[0, 0, 3], [1, 2, 2], [4, 4, 0]])),
        lambda m, x: m.index_select(x, 1, m.tensor([4, 0, 0])),
        lambda m, x: m.masked_select(x, x > 0),
        lambda m, x: m.flip(x, dims=[0, 1]),
        lambda m, x: x.flip(1),
        lambda m, x: m.diag(x),
        lambda m, x: m.diag(x, -1),
        lambda m, x: m.diag(x[0], 2),
        lambda m, x: m.tril(x, 1),
        lambda m, x: x.triu(-1),
        lambda m, x: m.outer(x[0], x[1]),
        lambda m, x: m.logsumexp(x, dim=1),
        lambda m, x: x.logsumexp(0, keepdim=True),
        lambda m, x: m.bmm(x[:2, :4].reshape(2, 2, 2), x[1:, 1:].reshape(2, 2, 2)),
    ],
)
def test_selection_values_and_gradients_match_torch(fn, dtype, rng):
    x = rng.standard_normal((3, 5)).astype(dtype)
    _both(fn, x, rng=rng)


@pytest.mark.parametrize("descending", [False, True])
def test_sort_indices_are_stable_with_ties_as_torch_stable_sort(descending):
    data = np.array([[3, 1, 3, 2, 1, 3], [0, 0, 0, 5, 5, 1]], dtype=np.int64)
    ours = cr.sort(cr.tensor(data), dim=1, descending=descending)
    theirs = torch.sort(torch.tensor(data), dim=1, descending=descending, stable=True)
    np.testing.assert_array_equal(ours.indices.numpy(), theirs.indices.numpy())
    np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())
    assert ours.indices.dtype == np.int64
    for flag in (np.array([True, False, True]), np.array([3, 0, 255], dtype=np.uint8)):
        np.testing.assert_array_equal(
            cr.argsort(cr.tensor(flag), descending=descending).numpy(),
            torch.argsort(torch.tensor(flag), descending=descending, stable=True).numpy(),
        )


def test_topk_and_kthvalue_indices_match_torch_without_ties(rng):
    x = rng.permutation(20).reshape(4, 5).astype(np.float32)
    for k in (1, 3, 5):
        ours, theirs = cr.tensor(x).topk(k, dim=1), torch.tensor(x).topk(k, dim=1)
        np.testing.assert_array_equal(ours.indices.numpy(), theirs.indices.numpy())
    ours, theirs = cr.kthvalue(cr.tensor(x), 2, 0), torch.kthvalue(torch.tensor(x), 2, 0)
    np.testing.assert_array_equal(ours.indices.numpy(), theirs.indices.numpy())


def test_cumsum_of_integers_and_bools_is_int64_as_torch():
    for data in (np.array([1, 2, 3], dtype=np.int32), np.array([True, False, True])):
        ours, theirs = cr.cumsum(cr.tensor(data), 0), torch.cumsum(torch.tensor(data), 0)
        assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert cr.tensor([1, 2]).cumsum(0, dtype=cr.float64).dtype == np.float64


def test_predicates_and_counts_match_torch():
    a = np.array([1.0, np.inf, np.nan, -2.0, 1.0 + 1e-9], dtype=np.float64)
    for name in ("isinf", "isfinite", "logical_not"):
        np.testing.assert_array_equal(
            getattr(cr, name)(cr.tensor(a)).numpy(), getattr(torch, name)(torch.tensor(a)).numpy()
        )
    np.testing.assert_array_equal(
        cr.isclose(cr.tensor(a), cr.tensor(np.ones(5)), equal_nan=True).numpy(),
        torch.isclose(torch.tensor(a), torch.ones(5, dtype=torch.float64), equal_nan=True).numpy(),
    )
    ints = np.array([3, 1, 2, 3, 1, 1])
    ours = cr.unique(cr.tensor(ints), return_inverse=True, return_counts=True)
    theirs = torch.unique(torch.tensor(ints), return_inverse=True, return_counts=True)
    for o, t in zip(ours, theirs):
        np.testing.assert_array_equal(o.numpy(), t.numpy())
    np.testing.assert_array_equal(
        cr.bincount(cr.tensor(ints), minlength=6).numpy(),
        torch.bincount(torch.tensor(ints), minlength=6).numpy(),
    )
    weights = np.linspace(0, 1, 6, dtype=np.float32)
    ours = cr.tensor(ints).bincount(cr.tensor(weights))
    theirs = torch.tensor(ints).bincount(torch.tensor(weights))
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
    assert cr.is_floating_point(cr.zeros(2)) and not cr.tensor([1]).is_floating_point()
    x, y = np.array([True, False, True]), np.array([True, True, False])
    for name in ("logical_and", "logical_or", "logical_xor"):
        np.testing.assert_array_equal(
            getattr(cr.tensor(x), name)(cr.tensor(y)).numpy(),
            getattr(torch, name)(torch.tensor(x), torch.tensor(y)).numpy(),
        )


def test_logsumexp_of_an_all_minus_inf_row_is_minus_inf_without_nan():
    x = cr.tensor([[-np.inf, -np.inf], [0.0, 1.0]])
    out = cr.logsumexp(x, 1)
    assert out[0].item() == -np.inf and np.isfinite(out[1].item())


def test_new_constructors_take_the_tensors_dtype_as_torch():
    for dtype in ("float64", "int64"):
        base, ref = (
            cr.zeros(2, dtype=getattr(cr, dtype)),
            torch.zeros(2, dtype=getattr(torch, dtype)),
        )
        pairs = [
            (base.new_zeros(2, 3), ref.new_zeros(2, 3)),
            (base.new_ones((2,)), ref.new_ones((2,))),
            (base.new_full((2, 2), 7), ref.new_full((2, 2), 7)),
            (base.new_tensor([1, 2]), ref.new_tensor([1, 2])),
            (base.new_empty(4), ref.new_empty(4)),
        ]
        for ours, theirs in pairs:
            assert ours.shape == tuple(theirs.shape)
            assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    assert cr.zeros(1).new_zeros(2, dtype=cr.int64).dtype == np.int64
    assert cr.zeros(1).new_ones(2, requires_grad=True).requires_grad


def test_torch_function_forms_of_methods_match_torch(rng):
    x = rng.standard_normal((4, 6)).astype(np.float32)
    for name, args in [
        ("sub", (1.5,)),
        ("mul", (2.0,)),
        ("div", (4.0,)),
        ("square", ()),
        ("amax", (1,)),
        ("amin", (0,)),
        ("t", ()),
        ("clone", ()),
        ("sign", ()),
        ("floor", ()),
        ("neg", ()),
    ]:
        ours = getattr(cr, name)(cr.tensor(x), *args)
        theirs = getattr(torch, name)(torch.tensor(x), *args)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, err_msg=name)
    for name in ("split", "chunk"):
        ours = getattr(cr, name)(cr.tensor(x), 4, dim=1)
        theirs = getattr(torch, name)(torch.tensor(x), 4, dim=1)
        assert [tuple(o.shape) for o in ours] == [tuple(t.shape) for t in theirs]


def test_errors_name_the_op_and_what_it_expected():
    x = cr.zeros(2, 3)
    with pytest.raises(cr.ShapeError, match=r"topk: expected k in \[0, 3\]"):
        x.topk(4)
    with pytest.raises(cr.ShapeError, match=r"kthvalue: expected k in \[1, 3\]"):
        x.kthvalue(0)
    with pytest.raises(cr.ShapeError, match="gather: expected an integer index with 2 dims"):
        x.gather(1, cr.tensor([0, 1]))
    with pytest.raises(cr.ShapeError, match="index_select: expected a 1-D integer index"):
        x.index_select(0, cr.tensor([0.0]))
    with pytest.raises(cr.ShapeError, match="diag: expected a 1-D or 2-D tensor, got 3 dims"):
        cr.zeros(1, 1, 1).diag()
    with pytest.raises(cr.ShapeError, match="tril: expected a tensor with at least 2 dims"):
        cr.zeros(3).tril()
    with pytest.raises(cr.ShapeError, match="bmm: expected"):
        cr.bmm(cr.zeros(2, 3), cr.zeros(3, 2))
    with pytest.raises(cr.DTypeError, match="bincount: expected a 1-D integer tensor"):
        cr.bincount(cr.zeros(3))
    with pytest.raises(AttributeError, match="'Tensor' object has no attribute 'nope'"):
        x.nope  # noqa: B018
