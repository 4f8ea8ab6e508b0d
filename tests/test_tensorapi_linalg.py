"""torch's top-level linear algebra (tensorapi family 4) against torch 2.13: values, dtypes and
gradients of det, slogdet, logdet, inverse, pinverse, matrix_power, matrix_exp, cholesky,
cholesky_solve, qr, svd, cov, corrcoef, dist, renorm, vdot, inner, ger, addr, addmv,
chain_matmul; as functions and as Tensor methods."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from tests.torch_oracle import compare  # noqa: E402

pytestmark = pytest.mark.oracle

DTYPES = [np.float32, np.float64]
LOOSE = {np.float32: dict(rtol=2e-3, atol=2e-4), np.float64: dict(rtol=1e-8, atol=1e-10)}


def _quiet(function):
    """torch.cholesky and torch.qr warn that linalg's are preferred; the oracle's warning."""

    def call(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return function(*args, **kwargs)

    return call


def _square(rng, n, batch=(), dtype=np.float64):
    return (rng.standard_normal((*batch, n, n)) + 3 * np.eye(n)).astype(dtype)


def _spd(rng, n, dtype=np.float64):
    a = rng.standard_normal((n, n))
    return (a @ a.T + n * np.eye(n)).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["det", "logdet", "inverse", "matrix_exp"])
def test_square_matrix_functions_match_torch(name, dtype, rng):
    for batch in ((), (2,)):
        a = _square(rng, 3, batch, dtype)
        compare(getattr(cr, name), getattr(torch, name), [a], rng, tolerance=LOOSE[dtype])
        compare(
            lambda t: getattr(t, name)(),
            lambda t: getattr(t, name)(),
            [a],
            rng,
            tolerance=LOOSE[dtype],
        )


def test_det_of_a_singular_matrix_has_the_adjugate_as_gradient(rng):
    """torch 2.13 gives 0 here; the derivative of det at a rank n-1 matrix is adj(A)^T,
    which central differences (exact for a polynomial, up to rounding) confirm."""
    a = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.5, -1.0, 2.0]])
    x = cr.tensor(a, requires_grad=True)
    cr.det(x).backward()
    numeric = np.zeros_like(a)
    for i in np.ndindex(a.shape):
        step = np.zeros_like(a)
        step[i] = 1e-4
        numeric[i] = (np.linalg.det(a + step) - np.linalg.det(a - step)) / 2e-4
    np.testing.assert_allclose(x.grad.numpy(), numeric, rtol=1e-7, atol=1e-9)
    negative = np.diag([-2.0, 1.0, 3.0])
    compare(cr.logdet, torch.logdet, [negative], rng, [False])  # NaN, as torch


@pytest.mark.parametrize("dtype", DTYPES)
def test_slogdet_matches_torch(dtype, rng):
    a = _square(rng, 4, (3,), dtype)
    a[0] = -a[0]  # one negative determinant (a 4x4 negated keeps its sign: swap two rows)
    a[1] = a[1][[1, 0, 2, 3]]
    ours, theirs = cr.slogdet(cr.tensor(a)), torch.slogdet(torch.tensor(a))
    np.testing.assert_array_equal(ours.sign.numpy(), theirs.sign.numpy())
    compare(
        lambda t: cr.slogdet(t).logabsdet,
        lambda t: torch.slogdet(t).logabsdet,
        [a],
        rng,
        tolerance=LOOSE[dtype],
    )
    compare(lambda t: t.slogdet()[1], lambda t: t.slogdet()[1], [a], rng, tolerance=LOOSE[dtype])


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, -1, -2])
def test_matrix_power_matches_torch(n, rng):
    a = _square(rng, 3, (2,))
    grads = [n != 0]  # torch's A^0 is an identity with no grad_fn
    compare(lambda t: cr.matrix_power(t, n), lambda t: torch.matrix_power(t, n), [a], rng, grads)
    compare(lambda t: t.matrix_power(n), lambda t: t.matrix_power(n), [a], rng, grads)


def test_matrix_exp_of_large_and_nilpotent_matrices_matches_torch(rng):
    for a in (
        rng.standard_normal((4, 4)) * 6,
        np.triu(rng.standard_normal((3, 3)), 1),
        np.zeros((2, 2)),
    ):
        compare(cr.matrix_exp, torch.matrix_exp, [a], rng, tolerance=dict(rtol=1e-9, atol=1e-9))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_and_cholesky_solve_match_torch(upper, dtype, rng):
    a = _spd(rng, 4, dtype)
    tol = LOOSE[dtype]
    # the gradient of a symmetric input: through (A + A^T) / 2, as torch's tests do
    compare(
        lambda t: cr.cholesky((t + t.transpose(0, 1)) / 2, upper),
        lambda t: _quiet(torch.cholesky)((t + t.T) / 2, upper),
        [a],
        rng,
        tolerance=tol,
    )
    factor = np.linalg.cholesky(a.astype(np.float64)).astype(dtype)
    factor = factor.T.copy() if upper else factor
    b = rng.standard_normal((4, 2)).astype(dtype)
    compare(
        lambda x, f: cr.cholesky_solve(x, f, upper),
        lambda x, f: torch.cholesky_solve(x, f, upper),
        [b, factor],
        rng,
        tolerance=tol,
    )
    compare(
        lambda f: cr.cholesky_inverse(f, upper),
        lambda f: torch.cholesky_inverse(f, upper),
        [factor],
        rng,
        tolerance=tol,
    )
    with pytest.raises(RuntimeError, match="cholesky: expected a symmetric positive-definite"):
        cr.cholesky(cr.tensor(-np.eye(2)))


@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (2, 5, 3)])
def test_qr_matches_torch_with_gradients(shape, rng):
    a = rng.standard_normal(shape)
    for part in (0, 1):
        compare(
            lambda t, k=part: cr.qr(t)[k],
            lambda t, k=part: _quiet(torch.qr)(t)[k],
            [a],
            rng,
            tolerance=dict(rtol=1e-8, atol=1e-10),
        )
    ours, theirs = cr.tensor(a).qr(some=False), _quiet(torch.tensor(a).qr)(some=False)
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.numpy(), t.numpy(), atol=1e-10)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(4, 3), (3, 5), (2, 3, 3)])
def test_svd_uses_torchs_v_convention_and_gradients(shape, dtype, rng):
    a = rng.standard_normal(shape).astype(dtype)
    ours, theirs = cr.svd(cr.tensor(a)), torch.svd(torch.tensor(a))
    assert ours.V.shape == tuple(theirs.V.shape) and ours.U.shape == tuple(theirs.U.shape)
    np.testing.assert_allclose(ours.S.numpy(), theirs.S.numpy(), **LOOSE[dtype])
    rebuilt = (ours.U * ours.S.unsqueeze(-2)) @ ours.V.transpose(-2, -1)
    np.testing.assert_allclose(rebuilt.numpy(), a, **LOOSE[dtype])

    def gauge_free(lib):  # U and V up to sign: losses that do not see the signs
        def loss(t):
            u, s, v = lib.svd(t)
            return (
                s * 2
                + (u * u).sum(-2) * s
                + (u[..., :1] @ v[..., :1].transpose(-2, -1)).abs().sum((-2, -1)).unsqueeze(-1)
            )

        return loss

    compare(gauge_free(cr), gauge_free(torch), [a], rng, tolerance=LOOSE[dtype])
    full, tfull = cr.svd(cr.tensor(a), some=False), torch.svd(torch.tensor(a), some=False)
    assert full.U.shape == tuple(tfull.U.shape) and full.V.shape == tuple(tfull.V.shape)
    bare = cr.tensor(a).svd(compute_uv=False)
    tbare = torch.tensor(a).svd(compute_uv=False)
    assert bare.U.shape == tuple(tbare.U.shape) and not bare.U.numpy().any()


@pytest.mark.parametrize("dtype", DTYPES)
def test_cov_and_corrcoef_match_torch(dtype, rng):
    x = rng.standard_normal((3, 6)).astype(dtype)
    fw = rng.integers(1, 4, 6)
    aw = rng.uniform(0.5, 2, 6).astype(dtype)
    tol = LOOSE[dtype]
    compare(cr.cov, torch.cov, [x], rng, tolerance=tol)
    compare(
        lambda t: cr.cov(t, correction=0),
        lambda t: torch.cov(t, correction=0),
        [x],
        rng,
        tolerance=tol,
    )
    compare(
        lambda t: cr.cov(t, fweights=cr.tensor(fw), aweights=cr.tensor(aw)),
        lambda t: torch.cov(t, fweights=torch.tensor(fw), aweights=torch.tensor(aw)),
        [x],
        rng,
        tolerance=tol,
    )
    compare(
        lambda t: t.cov(aweights=cr.tensor(aw)),
        lambda t: t.cov(aweights=torch.tensor(aw)),
        [x],
        rng,
        tolerance=tol,
    )
    compare(cr.cov, torch.cov, [x[0]], rng, tolerance=tol)
    compare(cr.corrcoef, torch.corrcoef, [x], rng, tolerance=tol)
    compare(lambda t: t.corrcoef(), lambda t: t.corrcoef(), [x], rng, tolerance=tol)


@pytest.mark.parametrize("dtype", DTYPES)
def test_dist_renorm_and_products_match_torch(dtype, rng):
    a, b = rng.standard_normal((3, 4)).astype(dtype), rng.standard_normal((4,)).astype(dtype)
    tol = LOOSE[dtype]
    for p in (1, 2, 3.5, float("inf"), 0):
        grads = [p != 0] * 2  # the 0-"norm" counts, with no gradient in torch
        compare(
            lambda x, y, p=p: cr.dist(x, y, p),
            lambda x, y, p=p: torch.dist(x, y, p),
            [a, b],
            rng,
            grads,
            tolerance=tol,
        )
    for p, dim, maxnorm in ((2, 0, 1.0), (1, 1, 2.0), (3, -1, 0.5)):
        compare(
            lambda x, p=p, dim=dim, maxnorm=maxnorm: cr.renorm(x, p, dim, maxnorm),
            lambda x, p=p, dim=dim, maxnorm=maxnorm: torch.renorm(x, p, dim, maxnorm),
            [a],
            rng,
            tolerance=tol,
        )
    x, tx = cr.tensor(a), torch.tensor(a)
    assert x.renorm_(2, 0, 1.0) is x
    tx.renorm_(2, 0, 1.0)
    np.testing.assert_allclose(x.numpy(), tx.numpy(), **tol)
    v = rng.standard_normal(4).astype(dtype)
    compare(cr.vdot, torch.vdot, [b, v], rng, tolerance=tol)
    compare(cr.inner, torch.inner, [a, b], rng, tolerance=tol)
    compare(cr.inner, torch.inner, [a, a[:2]], rng, tolerance=tol)
    compare(cr.inner, torch.inner, [a, np.array(2.0, dtype)], rng, tolerance=tol)
    compare(cr.ger, torch.ger, [b, v], rng, tolerance=tol)
    m = rng.standard_normal((4, 4)).astype(dtype)
    compare(
        lambda i, x, y: cr.addr(i, x, y, beta=0.5, alpha=2),
        lambda i, x, y: torch.addr(i, x, y, beta=0.5, alpha=2),
        [m, b, v],
        rng,
        tolerance=tol,
    )
    compare(
        lambda i, x, y: i.addmv(x, y, alpha=-1),
        lambda i, x, y: i.addmv(x, y, alpha=-1),
        [b, m, v],
        rng,
        tolerance=tol,
    )
    nan_input = np.full(4, np.nan, dtype)
    ours = cr.addmv(cr.tensor(nan_input), cr.tensor(m), cr.tensor(v), beta=0)
    np.testing.assert_allclose(
        ours.numpy(),
        torch.addmv(torch.tensor(nan_input), torch.tensor(m), torch.tensor(v), beta=0).numpy(),
        **tol,
    )
    chain = [rng.standard_normal(s).astype(dtype) for s in ((2, 3), (3, 4), (4, 2))]
    compare(cr.chain_matmul, lambda *t: torch.linalg.multi_dot(t), chain, rng, tolerance=tol)


def test_pinverse_matches_torch(rng):
    a = rng.standard_normal((4, 3))
    compare(cr.pinverse, torch.pinverse, [a], rng, tolerance=dict(rtol=1e-8, atol=1e-10))
    compare(
        lambda t: t.pinverse(),
        lambda t: t.pinverse(),
        [a.T.copy()],
        rng,
        tolerance=dict(rtol=1e-8, atol=1e-10),
    )
