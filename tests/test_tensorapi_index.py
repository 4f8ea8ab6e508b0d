"""torch's indexed writes, searches and layout methods (tensorapi family 3, second half) against
torch 2.13: scatter_reduce, index_reduce, index_copy, masked_scatter, put, fill_diagonal_,
unique_consecutive, searchsorted, bucketize, unfold, stride, new, resize_ and the in-place shape
ops."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from tests.torch_oracle import compare  # noqa: E402

pytestmark = pytest.mark.oracle

DTYPES = [np.float32, np.float64]


def _quiet(function, *args, **kwargs):
    """torch.index_reduce warns that it is in beta; the oracle's warning is not ours."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return function(*args, **kwargs)


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("dtype", DTYPES)
def test_scatter_reduce_values_and_gradients_match_torch(reduce, include_self, dtype, rng):
    x = rng.uniform(0.5, 2, (4, 3)).astype(dtype)
    src = rng.uniform(0.5, 2, (4, 3)).astype(dtype)  # torch's backward wants index's shape
    index = np.array([[0, 1, 0], [0, 2, 1], [3, 1, 0], [0, 1, 2]])  # row 2 untouched in col 0
    if reduce == "prod":  # a zero among the contributors, and one in the input
        src[1, 1] = 0.0
        x[3, 0] = 0.0
    if reduce in ("amax", "amin"):  # a tie between input and source is shared, as torch
        src[0, 0] = x[0, 0]
    compare(
        lambda a, s: cr.scatter_reduce(
            a, 0, cr.tensor(index), s, reduce, include_self=include_self
        ),
        lambda a, s: torch.scatter_reduce(
            a, 0, torch.tensor(index), s, reduce, include_self=include_self
        ),
        [x, src],
        rng,
    )
    columns = np.array([[0, 0], [2, 1], [1, 1], [2, 2]])
    compare(
        lambda a, s: a.scatter_reduce(1, cr.tensor(columns), s, reduce),
        lambda a, s: a.scatter_reduce(1, torch.tensor(columns), s, reduce),
        [x, src[:, :2].copy()],
        rng,
    )


def test_scatter_reduce_on_integers_and_in_place_match_torch():
    x, src = np.arange(6).reshape(2, 3), np.array([[5, 1, 7], [2, 2, 2]])
    index = np.array([[1, 0, 1], [1, 1, 0]])
    for reduce in ("sum", "prod", "mean", "amax", "amin"):
        ours = cr.tensor(x).scatter_reduce(0, cr.tensor(index), cr.tensor(src), reduce)
        theirs = torch.tensor(x).scatter_reduce(0, torch.tensor(index), torch.tensor(src), reduce)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy(), err_msg=reduce)
        assert ours.dtype == np.int64
    y = cr.tensor(x.astype(np.float32))
    assert y.scatter_reduce_(0, cr.tensor(index), cr.tensor(src.astype(np.float32)), "sum") is y
    with pytest.raises(RuntimeError, match="scatter_reduce: expected reduce one of"):
        cr.scatter_reduce(cr.tensor(x), 0, cr.tensor(index), cr.tensor(src), "max")


@pytest.mark.parametrize("reduce", ["prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_index_reduce_matches_torch(reduce, dtype, rng):
    x = rng.uniform(0.5, 2, (5, 2)).astype(dtype)
    source = rng.uniform(0.5, 2, (3, 2)).astype(dtype)
    index = np.array([4, 0, 4])
    for include_self in (True, False):
        compare(
            lambda a, s, i=include_self: cr.index_reduce(
                a, 0, cr.tensor(index), s, reduce, include_self=i
            ),
            lambda a, s, i=include_self: _quiet(
                torch.index_reduce, a, 0, torch.tensor(index), s, reduce, include_self=i
            ),
            [x, source],
            rng,
        )


@pytest.mark.parametrize("dtype", DTYPES)
def test_index_copy_masked_scatter_and_put_match_torch(dtype, rng):
    x = rng.standard_normal((4, 3)).astype(dtype)
    source = rng.standard_normal((2, 3)).astype(dtype)
    index = np.array([3, 1])
    compare(
        lambda a, s: cr.index_copy(a, 0, cr.tensor(index), s),
        lambda a, s: torch.index_copy(a, 0, torch.tensor(index), s),
        [x, source],
        rng,
    )
    compare(
        lambda a, s: a.index_copy(1, cr.tensor([2, 0]), s),
        lambda a, s: a.index_copy(1, torch.tensor([2, 0]), s),
        [x, rng.standard_normal((4, 2)).astype(dtype)],
        rng,
    )
    mask = np.array(
        [[True, False, True], [False, False, True], [True, True, False], [False, False, False]]
    )
    many = rng.standard_normal((3, 4)).astype(dtype)
    compare(
        lambda a, s: cr.masked_scatter(a, cr.tensor(mask), s),
        lambda a, s: torch.masked_scatter(a, torch.tensor(mask), s),
        [x, many],
        rng,
    )
    row = np.array([True, False, True])  # broadcast over the rows
    compare(
        lambda a, s: a.masked_scatter(cr.tensor(row), s),
        lambda a, s: a.masked_scatter(torch.tensor(row), s),
        [x, many],
        rng,
    )
    flat = np.array([0, -1, 5])
    values = rng.standard_normal(3).astype(dtype)
    for accumulate in (False, True):
        compare(
            lambda a, v, acc=accumulate: a.put(cr.tensor(flat), v, acc),
            lambda a, v, acc=accumulate: a.put(torch.tensor(flat), v, acc),
            [x, values],
            rng,
        )
    ours, theirs = cr.tensor(x), torch.tensor(x)
    assert ours.put_(cr.tensor(flat), cr.tensor(values), accumulate=True) is ours
    theirs.put_(torch.tensor(flat), torch.tensor(values), accumulate=True)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    ours, theirs = cr.tensor(x), torch.tensor(x)
    ours.index_copy_(0, cr.tensor(index), cr.tensor(source))
    theirs.index_copy_(0, torch.tensor(index), torch.tensor(source))
    ours.masked_scatter_(cr.tensor(mask), cr.tensor(many))
    theirs.masked_scatter_(torch.tensor(mask), torch.tensor(many))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    with pytest.raises(RuntimeError, match="masked_scatter: expected a source with at least 5"):
        cr.masked_scatter(cr.tensor(x), cr.tensor(mask), cr.zeros(4, dtype=x.dtype))


@pytest.mark.parametrize("shape", [(3, 3), (5, 3), (3, 5), (7, 3), (3, 3, 3)])
@pytest.mark.parametrize("wrap", [False, True])
def test_fill_diagonal_matches_torch(shape, wrap):
    ours, theirs = cr.zeros(*shape), torch.zeros(*shape)
    assert ours.fill_diagonal_(2.5, wrap) is ours
    theirs.fill_diagonal_(2.5, wrap)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("dim", [None, 0, 1])
def test_unique_consecutive_matches_torch(dim):
    a = np.array([[1, 1, 2], [1, 1, 2], [3, 1, 2], [3, 1, 2], [1, 1, 2]])
    ours = cr.unique_consecutive(cr.tensor(a), True, True, dim)
    theirs = torch.unique_consecutive(torch.tensor(a), True, True, dim)
    for o, t in zip(ours, theirs):
        np.testing.assert_array_equal(o.numpy(), t.numpy())
        assert o.dtype == np.dtype(str(t.dtype).replace("torch.", ""))
    plain = cr.tensor(a.astype(np.float32)).unique_consecutive()
    np.testing.assert_array_equal(plain.numpy(), torch.tensor(a).unique_consecutive().numpy())
    empty = cr.unique_consecutive(cr.tensor(np.zeros(0)), return_counts=True)
    assert empty[0].shape == (0,) and empty[1].shape == (0,)


@pytest.mark.parametrize("right", [False, True])
def test_searchsorted_and_bucketize_match_torch(right, rng):
    seq = np.array([1.0, 2.0, 2.0, 5.0, 9.0])
    values = np.array([[0.0, 2.0, 5.5], [9.0, 10.0, 2.0]])
    for args in ((seq, values), (seq, 2.0), (np.sort(rng.standard_normal((2, 4)), 1), values)):
        ours = cr.searchsorted(
            *[cr.tensor(a) if isinstance(a, np.ndarray) else a for a in args], right=right
        )
        theirs = torch.searchsorted(
            *[torch.tensor(a) if isinstance(a, np.ndarray) else a for a in args], right=right
        )
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
        assert ours.dtype == np.int64
    side = "right" if right else "left"
    ours = cr.searchsorted(cr.tensor(seq), cr.tensor(values), side=side, out_int32=True)
    theirs = torch.searchsorted(torch.tensor(seq), torch.tensor(values), side=side, out_int32=True)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert ours.dtype == np.int32
    shuffled = np.array([5.0, 1.0, 9.0, 2.0])
    sorter = np.argsort(shuffled)
    ours = cr.searchsorted(
        cr.tensor(shuffled), cr.tensor(values), right=right, sorter=cr.tensor(sorter)
    )
    theirs = torch.searchsorted(
        torch.tensor(shuffled), torch.tensor(values), right=right, sorter=torch.tensor(sorter)
    )
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    ours = cr.bucketize(cr.tensor(values), cr.tensor(seq), right=right)
    theirs = torch.bucketize(torch.tensor(values), torch.tensor(seq), right=right)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    with pytest.raises(RuntimeError, match='searchsorted: expected side="right" with right=True'):
        cr.searchsorted(cr.tensor(seq), cr.tensor(values), side="left", right=True)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "shape, dim, size, step",
    [((7,), 0, 2, 1), ((3, 8), 1, 3, 2), ((4, 5, 2), -3, 4, 3), ((), 0, 1, 1), ((3, 4), 0, 0, 1)],
)
def test_tensor_unfold_matches_torch(shape, dim, size, step, dtype, rng):
    a = rng.standard_normal(shape).astype(dtype)
    compare(lambda t: t.unfold(dim, size, step), lambda t: t.unfold(dim, size, step), [a], rng)


def test_stride_ndimension_new_and_resize_match_torch(rng):
    a = rng.standard_normal((2, 3, 4)).astype(np.float32)
    ours, theirs = cr.tensor(a), torch.tensor(a)
    assert ours.stride() == theirs.stride() and ours.stride(1) == theirs.stride(1)
    assert ours.transpose(0, 2).stride() == theirs.transpose(0, 2).stride()
    assert ours[:, ::2].stride() == theirs[:, ::2].stride()
    assert cr.tensor(1.0).stride() == torch.tensor(1.0).stride()
    assert ours.ndimension() == theirs.ndimension()
    for args in ((), (2, 3), ([1.0, 2.0],)):
        made, wanted = ours.new(*args), theirs.new(*args)
        assert made.shape == tuple(wanted.shape) and made.dtype == np.float32
    np.testing.assert_array_equal(ours.new([1, 2]).numpy(), theirs.new([1, 2]).numpy())
    assert ours.new(cr.Size([2, 1])).shape == (2, 1)
    x, tx = cr.tensor(a), torch.tensor(a)
    assert x.resize_(4, 6) is x
    tx.resize_(4, 6)
    np.testing.assert_array_equal(x.numpy(), tx.numpy())
    x.resize_as_(cr.zeros(24))
    assert x.shape == (24,)
    x.resize_((2, 2))
    np.testing.assert_array_equal(x.numpy(), a.reshape(-1)[:4].reshape(2, 2))
    with pytest.raises(RuntimeError, match="resize_: expected a tensor that does not require"):
        cr.zeros(2, requires_grad=True).resize_(3)


@pytest.mark.parametrize(
    "op, args",
    [
        ("squeeze_", ()),
        ("squeeze_", (1,)),
        ("unsqueeze_", (0,)),
        ("unsqueeze_", (-1,)),
        ("t_", ()),
        ("transpose_", (0, 1)),
        ("swapaxes_", (1, 0)),
        ("swapdims_", (0, 1)),
    ],
)
def test_in_place_shape_ops_match_torch_and_keep_gradients(op, args, rng):
    a = rng.standard_normal((3, 1))
    ours, theirs = cr.tensor(a), torch.tensor(a)
    assert getattr(ours, op)(*args) is ours
    getattr(theirs, op)(*args)
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    leaf, tleaf = cr.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    y, ty = leaf * 2.0, tleaf * 2.0
    getattr(y, op)(*args)
    getattr(ty, op)(*args)
    weight = rng.standard_normal(tuple(ty.shape))
    (y * cr.tensor(weight)).sum().backward()
    (ty * torch.tensor(weight)).sum().backward()
    np.testing.assert_allclose(leaf.grad.numpy(), tleaf.grad.numpy())
    with pytest.raises(RuntimeError):
        getattr(cr.tensor(a, requires_grad=True), op)(*args)
