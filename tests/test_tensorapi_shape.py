"""torch's shape functions (tensorapi family 3, first half) against torch 2.13: take,
take_along_dim, tensordot, kron, cross, rot90, atleast_Nd, the stacks and splits, diag_embed,
diagflat, block_diag, cartesian_prod, combinations, vander, logspace."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from tests.torch_oracle import compare  # noqa: E402

pytestmark = pytest.mark.oracle

DTYPES = [np.float32, np.float64]


def _joined(pieces):
    """A tuple of tensors as one, so compare checks values and gradients of every piece."""
    return (pieces[0] if len(pieces) == 1 else None) or pieces


def _cat_all(lib, pieces):
    return lib.cat([p.reshape(-1) for p in pieces]) * 1.0


@pytest.mark.parametrize("dtype", DTYPES)
def test_take_and_take_along_dim_match_torch(dtype, rng):
    a = rng.standard_normal((3, 4)).astype(dtype)
    index = np.array([[0, -1], [5, 11]])
    compare(
        lambda t: cr.take(t, cr.tensor(index)),
        lambda t: torch.take(t, torch.tensor(index)),
        [a],
        rng,
    )
    order = np.argsort(a, axis=1)
    for dim in (1, -1):
        compare(
            lambda t, d=dim: cr.take_along_dim(t, cr.tensor(order), d),
            lambda t, d=dim: torch.take_along_dim(t, torch.tensor(order), d),
            [a],
            rng,
        )
    compare(
        lambda t: t.take_along_dim(cr.tensor(order[:1]), 0),
        lambda t: t.take_along_dim(torch.tensor(order[:1]), 0),
        [a],
        rng,
    )
    compare(
        lambda t: cr.take_along_dim(t, cr.tensor(np.array([1, 0, 7]))),
        lambda t: torch.take_along_dim(t, torch.tensor(np.array([1, 0, 7]))),
        [a],
        rng,
    )
    broadcast = np.array([[2], [0], [1]])  # one index per row, broadcast over the columns
    compare(
        lambda t: cr.take_along_dim(t, cr.tensor(broadcast), 1),
        lambda t: torch.take_along_dim(t, torch.tensor(broadcast), 1),
        [a],
        rng,
    )
    with pytest.raises(RuntimeError, match="take: expected indices in"):
        cr.take(cr.tensor(a), cr.tensor([12]))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "shapes, dims",
    [
        (((3, 4, 5), (4, 5, 2)), 2),
        (((3, 4), (4, 2)), 1),
        (((2, 3), (4,)), 0),
        (((3, 4, 5), (5, 2, 4)), ([1, 2], [2, 0])),
        (((3, 4), (4, 3)), ([0], [1])),
    ],
)
def test_tensordot_matches_torch(shapes, dims, dtype, rng):
    arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    compare(
        lambda a, b: cr.tensordot(a, b, dims), lambda a, b: torch.tensordot(a, b, dims), arrays, rng
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "shapes", [((2, 3), (4, 5)), ((3,), (2, 2)), ((2, 1, 3), (2, 2)), ((), (3,))]
)
def test_kron_matches_torch(shapes, dtype, rng):
    arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    compare(cr.kron, torch.kron, arrays, rng)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "shapes, dim", [(((4, 3), (4, 3)), 1), (((3, 5), (3, 1)), 0), (((2, 3), (1, 3)), -1)]
)
def test_cross_matches_torch(shapes, dim, dtype, rng):
    arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    compare(
        lambda a, b: cr.cross(a, b, dim=dim), lambda a, b: torch.cross(a, b, dim=dim), arrays, rng
    )
    compare(lambda a, b: a.cross(b, dim), lambda a, b: a.cross(b, dim), arrays, rng)
    with pytest.raises(RuntimeError, match="cross: expected dim"):
        cr.cross(cr.zeros(3, 4), cr.zeros(3, 4), dim=1)
    with pytest.raises(RuntimeError, match="cross: expected input and other with one number"):
        cr.cross(cr.zeros(2, 3), cr.zeros(3))


@pytest.mark.parametrize("k", [-1, 0, 1, 2, 3, 5])
@pytest.mark.parametrize("dims", [(0, 1), (1, 0), (-1, 0), (2, 1)])
def test_rot90_matches_torch(k, dims, rng):
    a = rng.standard_normal((2, 3, 4))
    compare(lambda t: cr.rot90(t, k, dims), lambda t: torch.rot90(t, k, dims), [a], rng)
    compare(lambda t: t.rot90(k, dims), lambda t: t.rot90(k, dims), [a], rng)


@pytest.mark.parametrize("name", ["atleast_1d", "atleast_2d", "atleast_3d"])
def test_atleast_nd_match_torch(name, rng):
    for shape in ((), (3,), (2, 3), (2, 3, 4), (1, 2, 3, 4)):
        a = rng.standard_normal(shape)
        compare(getattr(cr, name), getattr(torch, name), [a], rng)
    pair = [rng.standard_normal(()), rng.standard_normal((2,))]
    ours = getattr(cr, name)(*[cr.tensor(a) for a in pair])
    theirs = getattr(torch, name)(*[torch.tensor(a) for a in pair])
    assert [o.shape for o in ours] == [tuple(t.shape) for t in theirs]
    ours = getattr(cr, name)([cr.tensor(a) for a in pair])
    assert [o.shape for o in ours] == [tuple(t.shape) for t in theirs]


@pytest.mark.parametrize("dtype", DTYPES)
def test_column_row_and_depth_stacks_match_torch(dtype, rng):
    cases = {
        "column_stack": [(3,), (3, 2), (3,)],
        "row_stack": [(4,), (2, 4)],
        "dstack": [(3,), (1, 3), (1, 3, 2)],
    }
    for name, shapes in cases.items():
        arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
        compare(
            lambda *t, n=name: getattr(cr, n)(list(t)),
            lambda *t, n=name: getattr(torch, n)(list(t)),
            arrays,
            rng,
        )
    scalars = [rng.standard_normal(()).astype(dtype) for _ in range(2)]
    compare(lambda *t: cr.column_stack(t), lambda *t: torch.column_stack(t), scalars, rng)


SPLITS = [
    ("tensor_split", (7, 4), (3,), {}),
    ("tensor_split", (7, 4), ([1, 5],), {}),
    ("tensor_split", (7, 4), ([2, -1, 9],), {}),
    ("tensor_split", (3, 8), (3,), {"dim": 1}),
    ("tensor_split", (3, 2), (5,), {}),
    ("hsplit", (4, 6), (3,), {}),
    ("hsplit", (6,), ([1, 4],), {}),
    ("vsplit", (4, 6), (2,), {}),
    ("dsplit", (2, 3, 4), ([1, 3],), {}),
    ("split_with_sizes", (6, 3), ([1, 0, 5],), {}),
    ("split_with_sizes", (2, 5), ([2, 3],), {"dim": -1}),
]


@pytest.mark.parametrize("name, shape, args, kwargs", SPLITS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_splits_match_torch(name, shape, args, kwargs, dtype, rng):
    a = rng.standard_normal(shape).astype(dtype)
    ours = getattr(cr, name)(cr.tensor(a), *args, **kwargs)
    theirs = getattr(torch, name)(torch.tensor(a), *args, **kwargs)
    assert [p.shape for p in ours] == [tuple(p.shape) for p in theirs]
    compare(
        lambda t: _cat_all(cr, getattr(cr, name)(t, *args, **kwargs)),
        lambda t: _cat_all(torch, getattr(torch, name)(t, *args, **kwargs)),
        [a],
        rng,
    )
    method = getattr(cr.tensor(a), name)(*args, **kwargs)
    assert [p.shape for p in method] == [tuple(p.shape) for p in theirs]


def test_split_errors_follow_torch():
    with pytest.raises(RuntimeError):
        torch.hsplit(torch.zeros(4, 6), 4)
    with pytest.raises(RuntimeError, match=r"hsplit: expected dim 1 \(size 6\) divisible by 4"):
        cr.hsplit(cr.zeros(4, 6), 4)
    with pytest.raises(RuntimeError, match="vsplit: expected a tensor with at least 2 dims"):
        cr.vsplit(cr.zeros(4), 2)
    with pytest.raises(RuntimeError, match="split_with_sizes: expected non-negative sizes"):
        cr.split_with_sizes(cr.zeros(4), [1, 2])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "shape, offset, dim1, dim2",
    [((3,), 0, -2, -1), ((2, 3), 1, 0, 2), ((2, 3), -2, -1, 0), ((2, 2, 3), 0, 1, 3)],
)
def test_diag_embed_matches_torch(shape, offset, dim1, dim2, dtype, rng):
    a = rng.standard_normal(shape).astype(dtype)
    compare(
        lambda t: cr.diag_embed(t, offset, dim1, dim2),
        lambda t: torch.diag_embed(t, offset, dim1, dim2),
        [a],
        rng,
    )
    compare(
        lambda t: t.diag_embed(offset, dim1, dim2),
        lambda t: t.diag_embed(offset, dim1, dim2),
        [a],
        rng,
    )


@pytest.mark.parametrize("offset", [-1, 0, 2])
def test_diagflat_matches_torch(offset, rng):
    for shape in ((3,), (2, 2), ()):
        a = rng.standard_normal(shape)
        compare(lambda t: cr.diagflat(t, offset), lambda t: torch.diagflat(t, offset), [a], rng)


@pytest.mark.parametrize("dtype", DTYPES)
def test_block_diag_matches_torch(dtype, rng):
    arrays = [rng.standard_normal(s).astype(dtype) for s in ((2, 3), (3,), (), (1, 2))]
    compare(cr.block_diag, torch.block_diag, arrays, rng)
    ours = cr.block_diag(cr.tensor([[1, 2]]), cr.tensor([[3]]))
    np.testing.assert_array_equal(
        ours.numpy(), torch.block_diag(torch.tensor([[1, 2]]), torch.tensor([[3]])).numpy()
    )
    assert ours.dtype == np.int64


@pytest.mark.parametrize("dtype", DTYPES)
def test_cartesian_prod_and_combinations_match_torch(dtype, rng):
    arrays = [rng.standard_normal(n).astype(dtype) for n in (2, 3, 2)]
    compare(cr.cartesian_prod, torch.cartesian_prod, arrays, rng)
    compare(cr.cartesian_prod, torch.cartesian_prod, arrays[:1], rng)
    a = rng.standard_normal(4).astype(dtype)
    for r in (1, 2, 3, 5):
        for again in (False, True):
            compare(
                lambda t, r=r, w=again: cr.combinations(t, r, w),
                lambda t, r=r, w=again: torch.combinations(t, r, w),
                [a],
                rng,
            )


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
@pytest.mark.parametrize("n, increasing", [(None, False), (4, True), (1, False), (0, False)])
def test_vander_matches_torch(n, increasing, dtype, rng):
    a = np.array([0.0, 1.5, -2.0]).astype(dtype)
    # values only: torch 2.13's own vander backward fails (it overwrites a saved cumprod)
    compare(
        lambda t: cr.vander(t, n, increasing),
        lambda t: torch.vander(t, n, increasing),
        [a],
        rng,
        [False],
    )


@pytest.mark.parametrize(
    "start, end, steps, base", [(0, 3, 4, 10.0), (-1, 1, 5, 2.0), (2, -2, 1, 10.0), (0, 1, 0, 10.0)]
)
def test_logspace_matches_torch(start, end, steps, base):
    for dtype in (None, cr.float64):
        ours = cr.logspace(start, end, steps, base, dtype=dtype)
        theirs = torch.logspace(
            start, end, steps, base, dtype=None if dtype is None else torch.float64
        )
        assert ours.dtype == np.dtype(str(theirs.dtype).replace("torch.", ""))
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
