"""erf ... atan2, the rounding divisions, cumprod/cummax/cummin, median, quantile, var_mean
against torch: values, dtypes, indices and gradients in float32 and float64."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")

DTYPES = ["float32", "float64"]


def _tol(dtype):
    return {"rtol": 2e-5, "atol": 1e-6} if dtype == "float32" else {"rtol": 1e-10, "atol": 1e-12}


def _compare(ours, theirs, arrays, dtype, grads=True):
    """Same value(s) and, for float outputs, the same gradient under a random upstream."""
    c_in = [cr.tensor(a, requires_grad=grads) for a in arrays]
    t_in = [torch.tensor(a, requires_grad=grads) for a in arrays]
    got, want = ours(*c_in), theirs(*t_in)
    got = list(got) if isinstance(got, tuple) else [got]
    want = list(want) if isinstance(want, tuple) else [want]
    for a, b in zip(got, want):
        assert tuple(a.shape) == tuple(b.shape)
        assert a.dtype == getattr(cr, str(b.dtype).replace("torch.", ""))
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), **_tol(dtype))
    if not grads:
        return
    seed = np.random.default_rng(3).standard_normal(tuple(want[0].shape)).astype(dtype)
    (got[0] * cr.tensor(seed)).sum().backward()
    (want[0] * torch.tensor(seed)).sum().backward()
    for a, b in zip(c_in, t_in):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **_tol(dtype))


UNARY = ["erf", "erfc", "expm1", "tan", "asin", "acos", "atan", "sinh", "cosh", "arcsin"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", UNARY)
def test_unary_methods_and_functions(name, dtype, rng):
    x = (rng.uniform(-0.95, 0.95, (3, 4))).astype(dtype)
    _compare(lambda t: getattr(t, name)(), lambda t: getattr(t, name)(), [x], dtype)
    _compare(getattr(cr, name), getattr(torch, name), [x], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_atan2_broadcasts(dtype, rng):
    a, b = rng.standard_normal((3, 4)).astype(dtype), rng.standard_normal(4).astype(dtype)
    _compare(cr.atan2, torch.atan2, [a, b], dtype)
    _compare(lambda p, q: p.arctan2(q), lambda p, q: p.arctan2(q), [a, b], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["remainder", "fmod", "floor_divide"])
def test_rounding_divisions(name, dtype, rng):
    a = (rng.standard_normal((3, 4)) * 5).astype(dtype)
    b = (np.abs(rng.standard_normal(4)) + 0.5).astype(dtype) * np.array([1, -1, 1, -1], dtype)
    grads = name != "floor_divide"  # torch's floor_divide has no derivative at all
    _compare(getattr(cr, name), getattr(torch, name), [a, b], dtype, grads)
    _compare(
        lambda p, q: getattr(p, name)(q), lambda p, q: getattr(p, name)(q), [a, b], dtype, grads
    )


@pytest.mark.parametrize("mode", [None, "trunc", "floor"])
def test_div_rounding_mode_floats_and_integers(mode, rng):
    a = (rng.standard_normal(8) * 5).astype(np.float64)
    b = np.array([2.0, -2.0, 3.0, -3.0] * 2)
    _compare(
        lambda p, q: p.div(q, rounding_mode=mode),
        lambda p, q: p.div(q, rounding_mode=mode),
        [a, b],
        "float64",
    )
    ints = np.array([7, -7, 7, -7, 6]), np.array([2, 2, -2, -2, 3])
    got = cr.div(cr.tensor(ints[0]), cr.tensor(ints[1]), rounding_mode=mode)
    want = torch.div(torch.tensor(ints[0]), torch.tensor(ints[1]), rounding_mode=mode)
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    assert got.dtype == getattr(cr, str(want.dtype).replace("torch.", ""))
    for name in ("remainder", "fmod"):
        got, want = (
            getattr(cr, name)(cr.tensor(ints[0]), 3),
            getattr(torch, name)(torch.tensor(ints[0]), 3),
        )
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    with pytest.raises(ValueError, match=r"div: expected rounding_mode None, 'trunc' or 'floor'"):
        cr.ones(2).div(2, rounding_mode="round")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cumprod_with_and_without_zeros(dim, dtype, rng):
    x = rng.standard_normal((3, 4)).astype(dtype)
    _compare(lambda t: t.cumprod(dim), lambda t: t.cumprod(dim), [x], dtype)
    x[1, 1] = 0.0
    x[2, 0] = x[2, 3] = 0.0
    _compare(lambda t: cr.cumprod(t, dim), lambda t: torch.cumprod(t, dim), [x], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_running_extremes_values_indices_and_ties(name, dtype, rng):
    x = np.round(rng.standard_normal((3, 6)), 0).astype(dtype)  # rounding makes ties
    for dim in (0, 1):
        _compare(
            lambda t, d=dim: getattr(t, name)(d), lambda t, d=dim: getattr(t, name)(d), [x], dtype
        )
        got, want = getattr(cr, name)(cr.tensor(x), dim), getattr(torch, name)(torch.tensor(x), dim)
        np.testing.assert_array_equal(got.indices.numpy(), want.indices.numpy())


@pytest.mark.parametrize("dtype", DTYPES)
def test_median(dtype, rng):
    x = rng.standard_normal((4, 6)).astype(dtype)
    _compare(lambda t: t.median(), lambda t: t.median(), [x], dtype)
    for dim, keepdim in ((0, False), (1, True)):
        got = cr.median(cr.tensor(x), dim, keepdim)
        want = torch.median(torch.tensor(x), dim, keepdim)
        np.testing.assert_array_equal(got.indices.numpy(), want.indices.numpy())
        ours = lambda t, d=dim, k=keepdim: t.median(d, k)  # noqa: E731
        _compare(ours, ours, [x], dtype)


QUANTILES = [
    (0.3, None, False, "linear"),
    ([0.1, 0.5, 0.9], 1, False, "linear"),
    ([0.25, 0.75], 0, True, "lower"),
    (0.4, 1, True, "higher"),
    ([0.2, 0.5, 0.62], -1, False, "nearest"),
    (0.5, None, True, "midpoint"),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("q", "dim", "keepdim", "interpolation"), QUANTILES)
def test_quantile(q, dim, keepdim, interpolation, dtype, rng):
    x = rng.standard_normal((3, 5)).astype(dtype)
    kwargs = {"dim": dim, "keepdim": keepdim, "interpolation": interpolation}
    q_t = torch.tensor(q, dtype=getattr(torch, dtype)) if isinstance(q, list) else q
    _compare(lambda t: cr.quantile(t, q, **kwargs), lambda t: t.quantile(q_t, **kwargs), [x], dtype)


@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
@pytest.mark.parametrize("kwargs", [{}, {"dim": 1}, {"dim": 0, "correction": 0, "keepdim": True}])
def test_var_mean_std_mean(name, kwargs, rng):
    x = rng.standard_normal((4, 3))
    _compare(
        lambda t: getattr(cr, name)(t, **kwargs),
        lambda t: getattr(torch, name)(t, **kwargs),
        [x],
        "float64",
    )
