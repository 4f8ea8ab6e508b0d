"""Every primitive op against PyTorch, in float32 and float64, including broadcasting."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import chainrule as cr
import chainrule.functional as F
from tests.torch_oracle import compare

pytestmark = pytest.mark.oracle  # compared with PyTorch / scikit-learn

DTYPES = [np.float32, np.float64]

BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / b, lambda a, b: a / b),
    "maximum": (F.maximum, torch.maximum),
    "minimum": (F.minimum, torch.minimum),
    "pow": (lambda a, b: a.abs() ** b, lambda a, b: a.abs() ** b),
}

UNARY = {
    "neg": (lambda x: -x, lambda x: -x),
    "exp": (F.exp, torch.exp),
    "log": (lambda x: F.log(x.abs() + 0.5), lambda x: torch.log(x.abs() + 0.5)),
    "sqrt": (lambda x: F.sqrt(x.abs() + 0.5), lambda x: torch.sqrt(x.abs() + 0.5)),
    "abs": (F.abs, torch.abs),
    "clip": (lambda x: F.clip(x, -0.5, 0.7), lambda x: torch.clamp(x, -0.5, 0.7)),
    "pow_scalar": (lambda x: x**3, lambda x: x**3),
    "pow_half": (lambda x: (x.abs() + 0.1) ** 0.5, lambda x: (x.abs() + 0.1) ** 0.5),
    "sum_all": (lambda x: x.sum(), lambda x: x.sum()),
    "sum_0": (lambda x: x.sum(0), lambda x: x.sum(0)),
    "sum_keep": (lambda x: x.sum(-1, keepdim=True), lambda x: x.sum(-1, keepdim=True)),
    "mean_all": (lambda x: x.mean(), lambda x: x.mean()),
    "mean_axes": (lambda x: x.mean((0, 2)), lambda x: x.mean((0, 2))),
    "max_all": (lambda x: x.max(), lambda x: x.amax()),
    "max_1": (lambda x: x.amax(1), lambda x: x.amax(1)),
    "max_dim_values": (lambda x: x.max(1).values, lambda x: x.max(1).values),
    "min_keep": (lambda x: x.amin(2, keepdim=True), lambda x: x.amin(2, keepdim=True)),
    "min_dim_values": (lambda x: x.min(2, keepdim=True)[0], lambda x: x.min(2, keepdim=True)[0]),
    "reshape": (lambda x: x.reshape(4, -1), lambda x: x.reshape(4, -1)),
    "transpose": (lambda x: x.transpose(0, 2), lambda x: x.transpose(0, 2)),
    "permute": (lambda x: x.permute(2, 0, 1), lambda x: x.permute(2, 0, 1)),
    "getitem_basic": (lambda x: x[1:, ::2, 0], lambda x: x[1:, ::2, 0]),
    "getitem_repeat": (
        lambda x: x[np.array([0, 1, 1, 0])],
        lambda x: x[torch.tensor([0, 1, 1, 0])],
    ),
    "getitem_pairs": (
        lambda x: x[np.array([0, 1, 1]), np.array([2, 0, 2])],
        lambda x: x[torch.tensor([0, 1, 1]), torch.tensor([2, 0, 2])],
    ),
    "where": (lambda x: F.where(x.data > 0, x, x * 2), lambda x: torch.where(x > 0, x, x * 2)),
    "flatten": (lambda x: x.flatten(1), lambda x: x.flatten(1)),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_op_matches_torch(name, dtype, rng):
    ours, theirs = BINARY[name]
    for shape_a, shape_b in [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)), ((), (2, 3))]:
        a = rng.standard_normal(shape_a).astype(dtype)
        b = rng.standard_normal(shape_b).astype(dtype)
        compare(ours, theirs, [a, b], rng)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_op_matches_torch(name, dtype, rng):
    ours, theirs = UNARY[name]
    x = rng.standard_normal((2, 3, 4)).astype(dtype)
    compare(ours, theirs, [x], rng)


@pytest.mark.parametrize("dtype", DTYPES)
def test_max_shares_gradient_between_ties_like_amax(dtype, rng):
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], dtype=dtype)
    compare(lambda t: t.amax(1), lambda t: t.amax(1), [x], rng)
    compare(lambda t: t.max(1).values, lambda t: t.max(1).values, [x], rng)  # to the argmax only
    compare(lambda t: t.max(), lambda t: t.amax(), [x], rng)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "shape_a, shape_b",
    [
        ((3,), (3,)),
        ((2, 3), (3,)),
        ((3,), (3, 4)),
        ((2, 3), (3, 4)),
        ((5, 2, 3), (3, 4)),
        ((5, 2, 3), (5, 3, 4)),
        ((1, 2, 3), (4, 3, 2)),
        ((3,), (5, 3, 4)),
        ((5, 2, 3), (3,)),
    ],
)
def test_matmul_matches_torch(shape_a, shape_b, dtype, rng):
    a = rng.standard_normal(shape_a).astype(dtype)
    b = rng.standard_normal(shape_b).astype(dtype)
    compare(lambda x, y: x @ y, lambda x, y: x @ y, [a, b], rng)


@pytest.mark.parametrize("dtype", DTYPES)
def test_concatenate_and_stack_match_torch(dtype, rng):
    a = rng.standard_normal((2, 3)).astype(dtype)
    b = rng.standard_normal((4, 3)).astype(dtype)
    compare(lambda x, y: cr.cat([x, y], 0), lambda x, y: torch.cat([x, y], 0), [a, b], rng)
    c = rng.standard_normal((2, 3)).astype(dtype)
    compare(lambda x, y: cr.stack([x, y], 1), lambda x, y: torch.stack([x, y], 1), [a, c], rng)


def test_scalar_constants_on_both_sides(rng):
    x = rng.standard_normal((3,))
    compare(lambda t: 2.0 - t, lambda t: 2.0 - t, [x], rng)
    compare(lambda t: 1.0 / (t * t + 1.0), lambda t: 1.0 / (t * t + 1.0), [x], rng)
    compare(lambda t: 2.0**t, lambda t: 2.0**t, [x], rng)


# --- property-based: random broadcastable shapes -------------------------------------------


@st.composite
def broadcastable_pair(draw):
    shapes = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4)
    )
    dtype = draw(st.sampled_from(DTYPES))
    seed = draw(st.integers(0, 2**16))
    return shapes.input_shapes, dtype, seed


@settings(max_examples=60, deadline=None)
@given(case=broadcastable_pair(), name=st.sampled_from(sorted(BINARY)))
def test_binary_ops_broadcast_like_torch(case, name):
    (shape_a, shape_b), dtype, seed = case
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape_a).astype(dtype)
    b = rng.standard_normal(shape_b).astype(dtype)
    if name in ("div",):
        b = np.where(np.abs(b) < 0.3, 1.0, b).astype(dtype)
    if name in ("maximum", "minimum"):
        b = b + 0.01  # keep exact ties (which split the gradient) out of random data
    ours, theirs = BINARY[name]
    out = compare(ours, theirs, [a, b], rng)
    with np.errstate(all="ignore"):
        expected = NUMPY_BINARY[name](a, b)
    np.testing.assert_array_equal(out.data, expected)  # forward is NumPy's own result
    assert out.dtype == expected.dtype


NUMPY_BINARY = {
    "add": np.add,
    "sub": np.subtract,
    "mul": np.multiply,
    "div": np.divide,
    "maximum": np.maximum,
    "minimum": np.minimum,
    "pow": lambda a, b: np.abs(a) ** b,
}


@settings(max_examples=40, deadline=None)
@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=4, max_side=4),
    seed=st.integers(0, 2**16),
    keep=st.booleans(),
    which=st.sampled_from(["sum", "mean", "max", "min"]),
)
def test_reductions_over_random_axes_like_torch(shape, seed, keep, which):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    dim = int(rng.integers(-len(shape), len(shape)))
    name = {"max": "amax", "min": "amin"}.get(which, which)
    compare(
        lambda t: getattr(t, name)(dim, keepdim=keep),
        lambda t: getattr(t, name)(dim, keepdim=keep),
        [x],
        rng,
    )
    np.testing.assert_allclose(
        getattr(cr.tensor(x), name)(dim, keep).numpy(),
        getattr(np, {"max": "amax", "min": "amin"}.get(which, which))(x, axis=dim, keepdims=keep),
    )
