"""torch's elementwise math, nan-reductions and scans (tensorapi family 2) against torch 2.13:
values, dtypes, shapes and gradients in float32 and float64, specials and empty tensors."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from tests.torch_oracle import compare  # noqa: E402

pytestmark = pytest.mark.oracle

LOOSE = {np.float32: dict(rtol=2e-4, atol=2e-5), np.float64: dict(rtol=1e-9, atol=1e-11)}


def _both(name):
    return (lambda *t: getattr(cr, name)(*t)), (lambda *t: getattr(torch, name)(*t))


BINARY = ["logaddexp", "logaddexp2", "hypot", "copysign", "fmax", "fmin", "xlogy", "ldexp"]


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((3, 1), (4,)), ((), (2, 3)), ((0, 2), (2,))])
def test_binary_math_values_and_gradients_match_torch(name, dtype, shapes, rng):
    a = rng.uniform(-3, 3, shapes[0]).astype(dtype)
    b = (rng.uniform(0.2, 3, shapes[1]) * rng.choice([-1, 1], shapes[1])).astype(dtype)
    if name == "xlogy":
        b = np.abs(b)
        a.reshape(-1)[:1] = 0.0  # xlogy(0, y) = 0, gradient log(y) masked to 0
    if name == "ldexp":
        b = np.round(b)
    if name in ("fmax", "fmin") and a.size > 2 and b.size > 2:
        a.reshape(-1)[0] = np.nan  # the other one wins, and gets the gradient
    ours, theirs = _both(name)
    compare(ours, theirs, [a, b], rng, tolerance=LOOSE[dtype])
    method = getattr(cr.tensor(a), name)(cr.tensor(b))
    np.testing.assert_allclose(
        method.numpy(), getattr(torch.tensor(a), name)(torch.tensor(b)), **LOOSE[dtype]
    )


@pytest.mark.parametrize("name", ["xlogy", "copysign"])
def test_binary_math_with_a_number_matches_torch(name):
    a = np.array([0.5, 2.0, 3.0], np.float32)
    ours, theirs = getattr(cr, name)(cr.tensor(a), 2.0), getattr(torch, name)(torch.tensor(a), 2.0)
    assert ours.dtype == np.float32 and str(theirs.dtype) == "torch.float32"
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
    if name == "xlogy":
        left = cr.xlogy(2.0, cr.tensor(a))
        np.testing.assert_allclose(left.numpy(), torch.xlogy(2.0, torch.tensor(a)), rtol=1e-6)


UNARY = {
    "frac": (-3, 3),
    "exp2": (-3, 3),
    "sinc": (-2, 2),
    "deg2rad": (-360, 360),
    "rad2deg": (-4, 4),
    "erfinv": (-0.99, 0.99),
    "lgamma": (-4.5, 8),
    "digamma": (-4.5, 8),
    "sgn": (-2, 2),
    "logit": (0.01, 0.99),
    "nan_to_zero": None,
}


@pytest.mark.parametrize("name", [n for n in UNARY if UNARY[n]])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_unary_math_values_and_gradients_match_torch(name, dtype, rng):
    low, high = UNARY[name]
    a = rng.uniform(low, high, (4, 5)).astype(dtype)
    if name == "sinc":
        a[0, 0] = 0.0
    if name in ("lgamma", "digamma"):
        a = np.where(np.abs(a - np.round(a)) < 0.05, a + 0.3, a).astype(dtype)  # off the poles
    ours, theirs = _both(name)
    grads = [name != "sgn"]  # torch's sgn gradient is a ZeroTensor, which NumPy cannot read
    compare(ours, theirs, [a], rng, grads, tolerance=LOOSE[dtype])
    compare(lambda t: getattr(t, name)(), lambda t: getattr(t, name)(), [a[:0]], rng, grads)
    compare(
        lambda t: getattr(t, name)(),
        lambda t: getattr(t, name)(),
        [a[0, 0]],
        rng,
        grads,
        tolerance=LOOSE[dtype],
    )


def test_special_functions_on_a_dense_grid_and_at_their_poles_match_torch():
    grid = np.concatenate([np.linspace(-30, 60, 90001), [1e-8, 1e5, 1e12, np.inf, -np.inf]])
    finite = np.isfinite(grid)
    grid = grid[~finite | (np.abs(grid - np.round(np.where(finite, grid, 0))) > 1e-3)]
    for name in ("lgamma", "digamma"):
        ours = getattr(cr, name)(cr.tensor(grid)).numpy()
        theirs = getattr(torch, name)(torch.tensor(grid)).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-10, err_msg=name)
    poles = np.array([0.0, -1.0, -2.0, 1.0, 2.0, np.nan])
    for name in ("lgamma", "digamma"):
        ours = getattr(cr, name)(cr.tensor(poles)).numpy()
        theirs = getattr(torch, name)(torch.tensor(poles)).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-14, atol=1e-15)
    x = np.linspace(-1, 1, 20001)
    ours, theirs = cr.erfinv(cr.tensor(x)).numpy(), torch.erfinv(torch.tensor(x)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(
        cr.erfinv(cr.tensor([1.5, -1.0, 1.0])).numpy(),
        torch.erfinv(torch.tensor([1.5, -1.0, 1.0])).numpy(),
    )


@pytest.mark.parametrize("eps", [None, 0.1])
def test_logit_eps_clamps_and_zeroes_the_gradient_outside_as_torch(eps, rng):
    a = np.array([0.05, 0.3, 0.5, 0.95], np.float64)
    compare(lambda t: cr.logit(t, eps), lambda t: torch.logit(t, eps), [a], rng)
    compare(lambda t: t.logit(eps=eps), lambda t: t.logit(eps=eps), [a], rng)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_power_is_float64_with_gradients_to_both(dtype, rng):
    a = rng.uniform(0.5, 2, (3,)).astype(dtype)
    b = rng.uniform(-1, 2, (3,)).astype(dtype)
    compare(cr.float_power, torch.float_power, [a, b], rng, tolerance=LOOSE[np.float32])
    ours = cr.float_power(cr.tensor(a), 2)
    assert ours.dtype == np.float64
    np.testing.assert_allclose(ours.numpy(), torch.float_power(torch.tensor(a), 2).numpy())
    with pytest.raises(TypeError, match="float_power_: expected a float64 tensor"):
        cr.tensor(a.astype(np.float32)).float_power_(2)
    x = cr.tensor(a.astype(np.float64))
    assert x.float_power_(2) is x


@pytest.mark.parametrize("name", ["gcd", "lcm"])
def test_gcd_lcm_match_torch(name, rng):
    a, b = rng.integers(-20, 20, (4, 3)), rng.integers(-20, 20, (3,))
    ours = getattr(cr, name)(cr.tensor(a), cr.tensor(b))
    theirs = getattr(torch, name)(torch.tensor(a), torch.tensor(b))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert ours.dtype == np.int64
    with pytest.raises(TypeError, match=f"{name}: expected integer tensors"):
        getattr(cr, name)(cr.tensor([1.0]), cr.tensor([2.0]))


def test_heaviside_and_nextafter_match_torch():
    a = np.array([-1.5, 0.0, 2.0, np.nan], np.float32)
    v = np.array([0.5, 0.5, 0.5, 0.5], np.float32)
    for name in ("heaviside", "nextafter"):
        ours = getattr(cr, name)(cr.tensor(a), cr.tensor(v))
        theirs = getattr(torch, name)(torch.tensor(a), torch.tensor(v))
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
        assert ours.dtype == np.float32
    with pytest.raises(TypeError, match="heaviside: expected input and other of one dtype"):
        cr.heaviside(cr.tensor(a), cr.tensor(v.astype(np.float64)))


@pytest.mark.parametrize(
    "name",
    [
        "hypot_",
        "copysign_",
        "xlogy_",
        "ldexp_",
        "atan2_",
        "fmod_",
        "remainder_",
        "logaddexp",
        "frac_",
        "exp2_",
        "sinc_",
        "deg2rad_",
        "rad2deg_",
        "erfinv_",
        "lgamma_",
        "digamma_",
        "sgn_",
        "logit_",
        "subtract_",
        "multiply_",
        "true_divide_",
        "divide_",
    ],
)
def test_in_place_forms_write_into_the_tensor_as_torch(name, rng):
    a = rng.uniform(0.1, 0.9, (2, 3))
    b = rng.uniform(0.5, 2, (3,))
    ours, theirs = cr.tensor(a), torch.tensor(a)
    unary = name.removesuffix("_") in UNARY
    args_ours = () if unary else (cr.tensor(b),)
    args_theirs = () if unary else (torch.tensor(b),)
    result = getattr(ours, name)(*args_ours)
    getattr(theirs, name)(*args_theirs) if name.endswith("_") else None
    if name.endswith("_"):
        assert result is ours
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


def test_in_place_math_in_the_graph_is_differentiable(rng):
    a, b = rng.uniform(0.5, 2, (3,)), rng.uniform(0.5, 2, (3,))
    x, y = cr.tensor(a, requires_grad=True), cr.tensor(b, requires_grad=True)
    tx, ty = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    z, tz = x * 1.0, tx * 1.0
    (z.hypot_(y) * 2).xlogy_(y).sum().backward()
    (tz.hypot_(ty) * 2).xlogy_(ty).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(y.grad.numpy(), ty.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("dim, keepdim", [(None, False), (0, False), (-1, True), ((0, 1), False)])
def test_nansum_nanmean_match_torch_with_nans(dim, keepdim, dtype, rng):
    a = rng.standard_normal((3, 4)).astype(dtype)
    a[0, 1] = a[2, 3] = np.nan
    a[1, :] = np.nan  # a row of NaN only: nanmean is NaN there, as torch
    for name in ("nansum", "nanmean"):
        compare(
            lambda t, name=name: getattr(cr, name)(t, dim, keepdim),
            lambda t, name=name: getattr(torch, name)(t, dim, keepdim),
            [a],
            rng,
            tolerance=LOOSE[dtype],
        )
    compare(lambda t: t.nansum(), lambda t: t.nansum(), [a[:0]], rng)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nanmedian_values_indices_and_gradients_match_torch(dtype, rng):
    a = rng.permutation(20).reshape(4, 5).astype(dtype)
    a[0, 1] = a[2, 3] = a[2, 0] = np.nan
    compare(cr.nanmedian, torch.nanmedian, [a], rng)
    for dim in (0, 1, -1):
        for keepdim in (False, True):
            ours = cr.nanmedian(cr.tensor(a), dim, keepdim)
            theirs = torch.nanmedian(torch.tensor(a), dim, keepdim)
            np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())
            np.testing.assert_array_equal(ours.indices.numpy(), theirs.indices.numpy())
        compare(
            lambda t, d=dim: t.nanmedian(d).values, lambda t, d=dim: t.nanmedian(d).values, [a], rng
        )
    all_nan = np.full((2, 3), np.nan, dtype)
    np.testing.assert_array_equal(
        cr.nanmedian(cr.tensor(all_nan), 1).values.numpy(),
        torch.nanmedian(torch.tensor(all_nan), 1).values.numpy(),
    )


@pytest.mark.parametrize("dim", [None, 0, 1, -1])
def test_aminmax_matches_torch(dim, rng):
    a = rng.permutation(12).reshape(3, 4).astype(np.float64)
    ours, theirs = cr.aminmax(cr.tensor(a), dim=dim), torch.aminmax(torch.tensor(a), dim=dim)
    np.testing.assert_array_equal(ours.min.numpy(), theirs.min.numpy())
    np.testing.assert_array_equal(ours.max.numpy(), theirs.max.numpy())
    compare(lambda t: t.aminmax(dim=dim)[1], lambda t: t.aminmax(dim=dim)[1], [a], rng)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_logcumsumexp_matches_torch_even_with_large_and_inf_values(dim, dtype, rng):
    a = (rng.standard_normal((4, 5)) * 30).astype(dtype)
    compare(
        lambda t: cr.logcumsumexp(t, dim),
        lambda t: torch.logcumsumexp(t, dim),
        [a],
        rng,
        tolerance=LOOSE[dtype],
    )
    a[1, 2] = -np.inf
    ours = cr.logcumsumexp(cr.tensor(a), dim).numpy()
    np.testing.assert_allclose(ours, torch.logcumsumexp(torch.tensor(a), dim), **LOOSE[dtype])
    compare(lambda t: t.logcumsumexp(0), lambda t: t.logcumsumexp(0), [a[:0]], rng)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_trapezoid_family_matches_torch(dtype, rng):
    y = rng.standard_normal((3, 5)).astype(dtype)
    x = np.sort(rng.uniform(0, 4, 5)).astype(dtype)
    xs = np.sort(rng.uniform(0, 4, (3, 5)), axis=1).astype(dtype)
    tol = LOOSE[dtype]
    for name in ("trapezoid", "cumulative_trapezoid", "trapz"):
        compare(getattr(cr, name), getattr(torch, name), [y], rng, tolerance=tol)
        compare(getattr(cr, name), getattr(torch, name), [y, x], rng, tolerance=tol)
        compare(getattr(cr, name), getattr(torch, name), [y, xs], rng, tolerance=tol)
        compare(
            lambda t, name=name: getattr(cr, name)(t, dx=0.5, dim=0),
            lambda t, name=name: getattr(torch, name)(t, dx=0.5, dim=0),
            [y],
            rng,
            tolerance=tol,
        )
    compare(cr.trapezoid, torch.trapezoid, [y[:, :0]], rng, [False])
