"""torch's comparison and logic functions at top level, and the tensor queries beside them
(tensorapi family 1), against torch 2.13: values, dtypes, shapes, gradients where torch has one."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from tests.torch_oracle import compare  # noqa: E402

pytestmark = pytest.mark.oracle

SPECIAL = np.array([-np.inf, -2.0, -0.0, 0.0, 1.5, np.inf, np.nan, 3.0])


def _same(ours, theirs):
    theirs = theirs.detach().numpy()
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
    np.testing.assert_array_equal(ours.numpy(), theirs)


@pytest.mark.parametrize(
    "name",
    [
        "gt",
        "ge",
        "lt",
        "le",
        "eq",
        "ne",
        "greater",
        "greater_equal",
        "less",
        "less_equal",
        "not_equal",
    ],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_comparisons_match_torch_as_functions_and_methods(name, dtype, rng):
    a = rng.integers(-2, 3, (3, 4)).astype(dtype)
    b = rng.integers(-2, 3, (4,)).astype(dtype)
    ours, theirs = cr.tensor(a), torch.tensor(a)
    _same(getattr(cr, name)(ours, cr.tensor(b)), getattr(torch, name)(theirs, torch.tensor(b)))
    _same(getattr(ours, name)(1), getattr(theirs, name)(1))
    _same(getattr(cr, name)(cr.tensor(a[:0]), 0), getattr(torch, name)(theirs[:0], 0))


@pytest.mark.parametrize("name", ["gt_", "le_", "eq_", "ne_", "greater_", "less_equal_"])
def test_in_place_comparisons_keep_the_dtype(name, rng):
    a = rng.standard_normal((2, 3)).astype(np.float32)
    ours, theirs = cr.tensor(a), torch.tensor(a)
    assert getattr(ours, name)(0.0) is ours
    getattr(theirs, name)(0.0)
    _same(ours, theirs)


def test_out_writes_into_the_given_tensor():
    a = np.array([1.0, -1.0, 2.0], np.float32)
    out = cr.zeros(3, dtype=cr.bool)
    assert cr.gt(cr.tensor(a), 0, out=out) is out
    assert out.tolist() == [True, False, True]
    with pytest.raises(RuntimeError, match=r"out=: expected a tensor of the result's shape \(3,\)"):
        cr.gt(cr.tensor(a), 0, out=cr.zeros(2, dtype=cr.bool))


@pytest.mark.parametrize("name", ["isneginf", "isposinf", "isreal", "signbit"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_element_tests_match_torch_on_specials(name, dtype):
    a = SPECIAL.astype(dtype)
    _same(getattr(cr, name)(cr.tensor(a)), getattr(torch, name)(torch.tensor(a)))
    _same(getattr(cr.tensor(a), name)(), getattr(torch.tensor(a), name)())
    ints = np.array([-3, 0, 2])
    _same(getattr(cr, name)(cr.tensor(ints)), getattr(torch, name)(torch.tensor(ints)))
    _same(getattr(cr, name)(cr.tensor(a[0])), getattr(torch, name)(torch.tensor(a[0])))


@pytest.mark.parametrize("invert", [False, True])
def test_isin_matches_torch(invert):
    a, b = np.array([[1, 2], [3, 4]]), np.array([2, 4, 9])
    _same(
        cr.isin(cr.tensor(a), cr.tensor(b), invert=invert),
        torch.isin(torch.tensor(a), torch.tensor(b), invert=invert),
    )
    _same(cr.isin(cr.tensor(a), 3), torch.isin(torch.tensor(a), 3))
    _same(cr.isin(2, cr.tensor(b)), torch.isin(2, torch.tensor(b)))


def test_tensor_queries_match_torch():
    for values in ([0.0], [2.0], [[0.5]], [False], [True]):
        assert cr.is_nonzero(cr.tensor(values)) == torch.is_nonzero(torch.tensor(values))
        assert cr.tensor(values).is_nonzero() == torch.tensor(values).is_nonzero()
    for values in ([], [1.0, 2.0]):
        with pytest.raises(RuntimeError):
            torch.is_nonzero(torch.tensor(values))
        with pytest.raises(RuntimeError, match="is_nonzero: expected a tensor with exactly one"):
            cr.is_nonzero(cr.tensor(values))
    a, b = cr.zeros(2, 3), cr.ones(2, 3)
    assert cr.is_same_size(a, b) and a.is_same_size(b) and not cr.is_same_size(a, cr.zeros(3, 2))
    for dtype in ("float32", "float64", "int64", "int32", "int8", "uint8", "bool"):
        assert (
            cr.is_signed(cr.zeros(1, dtype=dtype))
            == torch.zeros(1, dtype=getattr(torch, dtype)).is_signed()
        ), dtype


PROMOTION = [
    ("float32", "float64"),
    ("int64", "float32"),
    ("int32", "int64"),
    ("uint8", "int8"),
    ("bool", "int32"),
    ("bool", "bool"),
    ("uint8", "bool"),
    ("int8", "int16"),
    ("float64", "int16"),
    ("uint8", "float32"),
]


def _dt(name):
    return str(name).replace("torch.", "")


@pytest.mark.parametrize("a, b", PROMOTION)
def test_promote_types_and_can_cast_match_torch(a, b):
    assert _dt(cr.promote_types(a, b)) == _dt(
        torch.promote_types(getattr(torch, a), getattr(torch, b))
    )
    for x, y in ((a, b), (b, a)):
        assert cr.can_cast(x, y) == torch.can_cast(getattr(torch, x), getattr(torch, y)), (x, y)


@pytest.mark.parametrize("a", ["float32", "float64", "int64", "int32", "uint8", "bool"])
@pytest.mark.parametrize(
    "b", [1, 2.5, True, ("int32", 0), ("float64", 0), ("int64", 1), ("float32", 1)]
)
def test_result_type_matches_torch_with_numbers_and_zero_dim_tensors(a, b):
    ours_a, theirs_a = cr.zeros(2, dtype=a), torch.zeros(2, dtype=getattr(torch, a))
    if isinstance(b, tuple):
        dtype, ndim = b
        shape = (2,) * ndim
        ours_b, theirs_b = (
            cr.zeros(shape, dtype=dtype),
            torch.zeros(shape, dtype=getattr(torch, dtype)),
        )
    else:
        ours_b = theirs_b = b
    assert _dt(cr.result_type(ours_a, ours_b)) == _dt(torch.result_type(theirs_a, theirs_b))
    assert _dt(cr.result_type(ours_a[0], ours_b)) == _dt(torch.result_type(theirs_a[0], theirs_b))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_broadcast_tensors_values_and_gradients_match_torch(dtype, rng):
    arrays = [rng.standard_normal(s).astype(dtype) for s in ((3, 1), (4,), ())]
    compare(
        lambda *t: cr.stack(cr.broadcast_tensors(*t)) * 1.0,
        lambda *t: torch.stack(torch.broadcast_tensors(*t)) * 1.0,
        arrays,
        rng,
    )
    assert cr.broadcast_shapes((3, 1), (4,), 4, ()) == torch.broadcast_shapes((3, 1), (4,), 4, ())
    assert cr.broadcast_shapes() == torch.broadcast_shapes()
    with pytest.raises(RuntimeError, match="broadcast_shapes: expected shapes that broadcast"):
        cr.broadcast_shapes((3,), (4,))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("dim, index", [(0, 1), (1, -1), (-1, 0), (-3, 2)])
def test_select_and_swapdims_match_torch(dim, index, dtype, rng):
    a = rng.standard_normal((3, 4, 5)).astype(dtype)
    compare(lambda t: cr.select(t, dim, index), lambda t: torch.select(t, dim, index), [a], rng)
    compare(lambda t: t.select(dim, index) * 2, lambda t: t.select(dim, index) * 2, [a], rng)
    compare(lambda t: cr.swapdims(t, dim, 1), lambda t: torch.swapdims(t, dim, 1), [a], rng)
    compare(lambda t: cr.moveaxis(t, dim, 0), lambda t: torch.moveaxis(t, dim, 0), [a], rng)
    with pytest.raises(IndexError):
        cr.select(cr.tensor(a), 0, 3)
    with pytest.raises(IndexError):
        cr.select(cr.tensor(a), 3, 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_negative_positive_match_torch(dtype, rng):
    a = rng.standard_normal((2, 3)).astype(dtype)
    compare(cr.negative, torch.negative, [a], rng)
    compare(lambda t: cr.positive(t) * 3, lambda t: torch.positive(t) * 3, [a], rng)
    x = cr.tensor(a.copy())
    assert x.negative_() is x
    np.testing.assert_array_equal(x.numpy(), -a)
    with pytest.raises(RuntimeError, match="positive: expected a numeric tensor"):
        cr.positive(cr.tensor([True]))


def test_empty_like_scalar_tensor_and_typename_match_torch():
    x = cr.ones(2, 3, dtype=cr.float64)
    assert cr.empty_like(x).shape == (2, 3) and cr.empty_like(x).dtype == np.float64
    assert cr.empty_like(x, dtype=cr.int64).dtype == np.int64
    assert cr.empty_like(x, requires_grad=True).requires_grad
    s = cr.scalar_tensor(3)
    assert s.shape == () and _dt(s.dtype) == _dt(torch.scalar_tensor(3).dtype) and s.item() == 3
    assert cr.scalar_tensor(2, dtype=cr.int64).dtype == np.int64
    for dtype in ("float32", "float64", "int64", "bool", "uint8"):
        assert cr.typename(cr.zeros(1, dtype=dtype)) == torch.typename(
            torch.zeros(1, dtype=getattr(torch, dtype))
        )
    assert cr.typename(3) == torch.typename(3)
    assert cr.typename(cr.nn.Linear(1, 1)) == "chainrule.nn.linear.Linear"
