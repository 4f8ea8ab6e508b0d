"""torch.linalg's eigh/eigvalsh, eig/eigvals (real spectra), the LU family, matrix_norm, cond,
matrix_rank, svdvals and the *_ex forms against torch 2.13: values, dtypes, batched and empty
shapes, gradients (torch's and gradcheck's in float64) and the errors torch raises."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from chainrule import gradcheck  # noqa: E402
from tests.torch_oracle import compare  # noqa: E402

pytestmark = pytest.mark.oracle

DTYPES = [np.float32, np.float64]
LOOSE = {np.float32: dict(rtol=2e-3, atol=2e-4), np.float64: dict(rtol=1e-8, atol=1e-10)}
INF = float("inf")


def _symmetric(rng, shape):
    a = rng.standard_normal(shape)
    return a + np.swapaxes(a, -1, -2)


def _sign_free(v):
    """Eigenvectors with each column's sign fixed by its largest entry: LAPACK picks either."""
    index = np.abs(v).argmax(-2)[..., None, :]
    return v * np.sign(np.take_along_axis(v, index, -2))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("uplo", ["L", "U"])
@pytest.mark.parametrize("shape", [(4, 4), (2, 3, 3, 3), (1, 1), (0, 2, 2)])
def test_eigh_matches_torch_values_and_gauge_free_gradients(dtype, uplo, shape, rng):
    a = rng.standard_normal(shape).astype(dtype)  # only one triangle is read: give garbage above
    weights = rng.standard_normal(shape).astype(dtype)
    w, v = cr.linalg.eigh(cr.tensor(a), UPLO=uplo)
    tw, tv = torch.linalg.eigh(torch.tensor(a), UPLO=uplo)
    np.testing.assert_allclose(w.numpy(), tw.numpy(), **LOOSE[dtype])
    np.testing.assert_allclose(_sign_free(v.numpy()), _sign_free(tv.numpy()), **LOOSE[dtype])
    assert w.dtype == dtype and v.dtype == dtype

    def loss(lib, fn, x):  # depends on V only through V diag(c) V^T: no sign ambiguity
        w, v = fn(x, UPLO=uplo)
        c = lib.tensor(weights[..., 0, :])
        return (w * w).sum() + (
            (v * c.unsqueeze(-2)) @ v.transpose(-2, -1) * lib.tensor(weights)
        ).sum()

    compare(
        lambda x: loss(cr, cr.linalg.eigh, x),
        lambda x: loss(torch, torch.linalg.eigh, x),
        [a],
        rng,
        tolerance=LOOSE[dtype],
    )
    compare(
        lambda x: cr.linalg.eigvalsh(x, UPLO=uplo),
        lambda x: torch.linalg.eigvalsh(x, UPLO=uplo),
        [a],
        rng,
        tolerance=LOOSE[dtype],
    )


def test_eigh_gradchecks_in_float64_on_symmetric_input(rng):
    a = _symmetric(rng, (2, 3, 3))

    def fn(x):
        s = x + x.transpose(-2, -1)
        w, v = cr.linalg.eigh(s)
        return w.sum(-1) + (v * v * v).sum((-2, -1)) * 0 + (v @ v.transpose(-2, -1)).sum()

    assert gradcheck(fn, cr.tensor(a, requires_grad=True))
    assert gradcheck(
        lambda x: cr.linalg.eigvalsh(x + x.transpose(-2, -1)), cr.tensor(a, requires_grad=True)
    )


def test_eigh_repeated_eigenvalues_give_finite_eigenvalue_gradients_and_torch_caveat():
    eye = np.eye(3)
    x, t = cr.tensor(eye, requires_grad=True), torch.tensor(eye, requires_grad=True)
    cr.linalg.eigvalsh(x).sum().backward()
    torch.linalg.eigvalsh(t).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy())
    # eigenvectors at a repeated eigenvalue: torch documents an infinite or NaN gradient
    x2, t2 = cr.tensor(eye, requires_grad=True), torch.tensor(eye, requires_grad=True)
    upstream = np.arange(9.0).reshape(3, 3)
    cr.linalg.eigh(x2).eigenvectors.backward(cr.tensor(upstream))
    torch.linalg.eigh(t2).eigenvectors.backward(torch.tensor(upstream))
    assert not np.isfinite(x2.grad.numpy()).all() and not np.isfinite(t2.grad.numpy()).all()


@pytest.mark.parametrize("dtype", DTYPES)
def test_eig_of_a_real_spectrum_matches_torch_real_parts(dtype, rng):
    a = (rng.standard_normal((2, 3, 3)) + np.diag([1.0, 4.0, 9.0])).astype(dtype)
    a = np.triu(a) + 0.1 * np.tril(a, -1)  # near-triangular: eigenvalues stay real
    w, v = cr.linalg.eig(cr.tensor(a))
    tw, tv = torch.linalg.eig(torch.tensor(a))
    assert np.abs(tw.imag.numpy()).max() == 0
    np.testing.assert_allclose(w.numpy(), tw.real.numpy(), **LOOSE[dtype])
    np.testing.assert_allclose(_sign_free(v.numpy()), _sign_free(tv.real.numpy()), **LOOSE[dtype])
    c = rng.standard_normal((2, 3, 3))
    x, t = cr.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    w, v = cr.linalg.eig(x)
    tw, tv = torch.linalg.eig(t)
    # (v_i . c_i)^2 is sign-free; and the eigenvalues cubed
    loss = (w**3).sum() + ((v * cr.tensor(c.astype(dtype))).sum(-2) ** 2).sum()
    tloss = (tw**3).sum().real + ((tv * torch.tensor(c.astype(dtype))).sum(-2) ** 2).sum().real
    loss.backward()
    tloss.backward()
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), **LOOSE[dtype])
    np.testing.assert_allclose(
        cr.linalg.eigvals(cr.tensor(a)).numpy(),
        torch.linalg.eigvals(torch.tensor(a)).real.numpy(),
        **LOOSE[dtype],
    )


def test_eig_refuses_a_complex_spectrum_naming_the_reason():
    rotation = cr.tensor([[0.0, -1.0], [1.0, 0.0]])
    with pytest.raises(
        cr.errors.UnsupportedError,
        match=r"linalg.eig: expected a matrix with real eigenvalues, got one with complex "
        r"eigenvalues.\nHint: chainrule has no complex dtype",
    ):
        cr.linalg.eig(rotation)
    with pytest.raises(NotImplementedError):
        cr.linalg.eigvals(rotation)


def test_eig_gradchecks_in_float64(rng):
    a = rng.standard_normal((3, 3)) + np.diag([1.0, 5.0, 10.0])
    assert gradcheck(lambda x: cr.linalg.eigvals(x), cr.tensor(a, requires_grad=True))
    assert gradcheck(
        lambda x: cr.linalg.eig(x).eigenvectors.sum(-2) ** 2, cr.tensor(a, requires_grad=True)
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(4, 4), (2, 3, 5, 5), (3, 5), (5, 3), (2, 4, 2), (0, 3, 3)])
def test_lu_factor_and_lu_match_torch_with_gradients(dtype, shape, rng):
    a = rng.standard_normal(shape).astype(dtype)
    lu, piv = cr.linalg.lu_factor(cr.tensor(a))
    tlu, tpiv = torch.linalg.lu_factor(torch.tensor(a))
    np.testing.assert_allclose(lu.numpy(), tlu.numpy(), **LOOSE[dtype])
    np.testing.assert_array_equal(piv.numpy(), tpiv.numpy())
    assert piv.dtype == np.int32 and lu.dtype == dtype
    compare(
        lambda x: cr.linalg.lu_factor(x).LU,
        lambda x: torch.linalg.lu_factor(x).LU,
        [a],
        rng,
        tolerance=LOOSE[dtype],
    )
    for i in range(3):  # P has no gradient, in torch either
        compare(
            lambda x, i=i: cr.linalg.lu(x)[i],
            lambda x, i=i: torch.linalg.lu(x)[i],
            [a],
            rng,
            grad_inputs=[i > 0],
            tolerance=LOOSE[dtype],
        )


def test_lu_factor_gradchecks_in_float64(rng):
    for shape in [(3, 3), (2, 4, 3), (3, 4)]:
        a = rng.standard_normal(shape)
        assert gradcheck(lambda x: cr.linalg.lu_factor(x).LU, cr.tensor(a, requires_grad=True))


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [False, True])
def test_lu_solve_matches_torch_in_all_four_forms(left, adjoint, rng):
    a = rng.standard_normal((2, 4, 4))
    b = rng.standard_normal((2, 4, 3) if left else (2, 3, 4))

    def ours(x, y):
        lu, piv = cr.linalg.lu_factor(x)
        return cr.linalg.lu_solve(lu, piv, y, left=left, adjoint=adjoint)

    def theirs(x, y):
        lu, piv = torch.linalg.lu_factor(x)
        return torch.linalg.lu_solve(lu, piv, y, left=left, adjoint=adjoint)

    compare(ours, theirs, [a, b], rng, tolerance=LOOSE[np.float64])
    assert gradcheck(ours, cr.tensor(a[0], requires_grad=True), cr.tensor(b[0], requires_grad=True))


def test_torch_level_lu_forms_match_torch(rng):
    a, b = rng.standard_normal((3, 3)), rng.standard_normal((3, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch.lu's deprecation notice
        tlu, tpiv = torch.lu(torch.tensor(a))
        tx = torch.lu_solve(torch.tensor(b), tlu, tpiv)
        tinfo = torch.lu(torch.tensor(a), get_infos=True)[2]
    lu, piv = cr.lu(cr.tensor(a))
    np.testing.assert_allclose(lu.numpy(), tlu.numpy(), rtol=1e-12)
    np.testing.assert_allclose(cr.lu_solve(cr.tensor(b), lu, piv).numpy(), tx.numpy(), rtol=1e-10)
    assert int(cr.lu(cr.tensor(a), get_infos=True)[2]) == int(tinfo) == 0
    for ours, theirs in zip(cr.lu_unpack(lu, piv), torch.lu_unpack(tlu, tpiv)):
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), atol=1e-12)


def test_lu_factor_of_a_singular_matrix_raises_and_the_ex_form_reports_it():
    singular = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])
    with pytest.raises(
        cr.errors.LinAlgError,
        match=r"linalg.lu_factor: expected U with nonzero pivots, got U\[3,3\] = 0",
    ):
        cr.linalg.lu_factor(cr.tensor(singular))
    with pytest.raises(RuntimeError, match=r"U\[3,3\] is zero"):
        torch.linalg.lu_factor(torch.tensor(singular))
    ours = cr.linalg.lu_factor_ex(cr.tensor(np.stack([np.eye(3), singular])))
    theirs = torch.linalg.lu_factor_ex(torch.tensor(np.stack([np.eye(3), singular])))
    np.testing.assert_array_equal(ours.info.numpy(), theirs.info.numpy())
    np.testing.assert_array_equal(ours.pivots.numpy(), theirs.pivots.numpy())
    np.testing.assert_allclose(ours.LU.numpy(), theirs.LU.numpy(), atol=1e-15)
    with pytest.raises(cr.errors.LinAlgError, match=r"\(batch element 1\)"):
        cr.linalg.lu_factor_ex(cr.tensor(np.stack([np.eye(3), singular])), check_errors=True)


def test_lu_solve_checks_its_arguments():
    lu, piv = cr.linalg.lu_factor(cr.eye(3))
    with pytest.raises(
        cr.errors.ShapeError, match=r"linalg.lu_solve: expected B of shape \(\.\.\., 3, k\)"
    ):
        cr.linalg.lu_solve(lu, piv, cr.ones(2, 1))
    with pytest.raises(cr.errors.ArgumentError, match="linalg.lu_solve: expected int32 pivots"):
        cr.linalg.lu_solve(lu, piv.to(cr.int64), cr.ones(3, 1))


ORDS = ["fro", "nuc", INF, -INF, 1, -1, 2, -2]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ord", ORDS)
def test_matrix_norm_and_norm_match_torch_for_every_ord(dtype, ord, rng):
    a = rng.standard_normal((2, 3, 4)).astype(dtype)
    for dim, keepdim in [((-2, -1), False), ((0, 2), True), ((2, 1), False)]:
        compare(
            lambda x, d=dim, k=keepdim: cr.linalg.matrix_norm(x, ord, d, k),
            lambda x, d=dim, k=keepdim: torch.linalg.matrix_norm(x, ord, d, k),
            [a],
            rng,
            tolerance=LOOSE[dtype],
        )
        compare(
            lambda x, d=dim, k=keepdim: cr.linalg.norm(x, ord, d, k),
            lambda x, d=dim, k=keepdim: torch.linalg.norm(x, ord, d, k),
            [a],
            rng,
            tolerance=LOOSE[dtype],
        )
    compare(
        lambda x: cr.linalg.norm(x[0], ord),
        lambda x: torch.linalg.norm(x[0], ord),
        [a],
        rng,
        tolerance=LOOSE[dtype],
    )


def test_matrix_norm_gradchecks_and_refuses_bad_arguments(rng):
    a = rng.standard_normal((3, 4))
    for ord in ORDS:
        assert gradcheck(
            lambda x, o=ord: cr.linalg.matrix_norm(x, o), cr.tensor(a, requires_grad=True)
        )
    with pytest.raises(cr.errors.ArgumentError, match="linalg.matrix_norm: expected ord one of"):
        cr.linalg.matrix_norm(cr.ones(2, 2), 3)
    with pytest.raises(
        cr.errors.ShapeError,
        match=r"linalg.matrix_norm: expected matrices \(\.\.\., m, n\), got \(3,\)",
    ):
        cr.linalg.matrix_norm(cr.ones(3))
    with pytest.raises(cr.errors.ArgumentError, match="expected two distinct dimensions"):
        cr.linalg.matrix_norm(cr.ones(2, 2), dim=(0, 0))


@pytest.mark.parametrize("p", [None, 2, -2, "fro", "nuc", 1, -1, INF, -INF])
def test_cond_matches_torch(p, rng):
    a = rng.standard_normal((3, 4, 4))
    # torch's own backward fails for the p that invert A (an in-place op in its graph): values only
    compare(
        lambda x: cr.linalg.cond(x, p),
        lambda x: torch.linalg.cond(x, p),
        [a],
        rng,
        grad_inputs=[p in (None, 2, -2)],
    )
    singular = np.stack([np.zeros((2, 2)), np.eye(2)])
    if p not in (None, 2, -2, "nuc"):  # torch's 'nuc' inverts a singular A in floating point
        ours = cr.linalg.cond(cr.tensor(singular), p).numpy()
        np.testing.assert_array_equal(ours, torch.linalg.cond(torch.tensor(singular), p).numpy())


def test_matrix_rank_matches_torch_with_its_tolerances(rng):
    low = rng.standard_normal((3, 5, 2)) @ rng.standard_normal((3, 2, 4))
    for kw in [{}, dict(atol=1.0), dict(rtol=0.3), dict(atol=0.1, rtol=0.2), dict(atol=0.0)]:
        ours = cr.linalg.matrix_rank(cr.tensor(low), **kw)
        theirs = torch.linalg.matrix_rank(torch.tensor(low), **kw)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
        assert ours.dtype == np.int64
    gram = low @ np.swapaxes(low, -1, -2)
    for data in (gram, gram.astype(np.float32)):
        for hermitian in (False, True):
            ours = cr.linalg.matrix_rank(cr.tensor(data), hermitian=hermitian)
            theirs = torch.linalg.matrix_rank(torch.tensor(data), hermitian=hermitian)
            np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert cr.linalg.matrix_rank(cr.zeros(0, 3)).item() == 0


@pytest.mark.parametrize("dtype", DTYPES)
def test_svdvals_match_torch(dtype, rng):
    for shape in [(3, 5), (2, 4, 2), (0, 3)]:
        compare(
            cr.linalg.svdvals,
            torch.linalg.svdvals,
            [rng.standard_normal(shape).astype(dtype)],
            rng,
            tolerance=LOOSE[dtype],
        )


def test_ex_forms_report_singular_and_indefinite_matrices_by_info_as_torch(rng):
    bad = np.stack([np.eye(3), np.zeros((3, 3)), -np.eye(3)])
    ours, theirs = cr.linalg.inv_ex(cr.tensor(bad)), torch.linalg.inv_ex(torch.tensor(bad))
    np.testing.assert_array_equal(ours.info.numpy(), theirs.info.numpy())
    np.testing.assert_allclose(ours.inverse.numpy()[[0, 2]], theirs.inverse.numpy()[[0, 2]])
    assert np.isnan(ours.inverse.numpy()[1]).all()  # torch leaves inf and NaN there
    ours = cr.linalg.cholesky_ex(cr.tensor(bad))
    np.testing.assert_array_equal(
        ours.info.numpy(), torch.linalg.cholesky_ex(torch.tensor(bad)).info.numpy()
    )
    late = np.diag([1.0, 2.0, -1.0, 3.0])
    assert int(cr.linalg.cholesky_ex(cr.tensor(late)).info) == 3
    assert int(torch.linalg.cholesky_ex(torch.tensor(late)).info) == 3
    ones = np.ones((3, 3, 1))
    ours = cr.linalg.solve_ex(cr.tensor(bad), cr.tensor(ones))
    np.testing.assert_array_equal(
        ours.info.numpy(), torch.linalg.solve_ex(torch.tensor(bad), torch.tensor(ones)).info.numpy()
    )
    with pytest.raises(
        cr.errors.LinAlgError,
        match=r"linalg.inv_ex: expected an invertible matrix, got a singular one \(batch element 1\)",
    ):
        cr.linalg.inv_ex(cr.tensor(bad), check_errors=True)
    with pytest.raises(
        cr.errors.LinAlgError, match="linalg.cholesky_ex: expected a symmetric positive-definite"
    ):
        cr.linalg.cholesky_ex(cr.tensor(bad), check_errors=True)


@pytest.mark.parametrize("dtype", DTYPES)
def test_ex_forms_have_torch_gradients_where_the_matrix_is_fine(dtype, rng):
    good = rng.standard_normal((2, 3, 3)).astype(dtype)
    spd = (good @ np.swapaxes(good, -1, -2) + np.eye(3)).astype(dtype)
    tol = LOOSE[dtype]
    compare(
        lambda x: cr.linalg.inv_ex(x).inverse,
        lambda x: torch.linalg.inv_ex(x).inverse,
        [good],
        rng,
        tolerance=tol,
    )
    b = rng.standard_normal((2, 4, 3)).astype(dtype)
    compare(
        lambda x, y: cr.linalg.solve_ex(x, y, left=False).result,
        lambda x, y: torch.linalg.solve_ex(x, y, left=False).result,
        [good, b],
        rng,
        tolerance=tol,
    )
    compare(
        lambda x: cr.linalg.cholesky_ex(x, upper=True).L,
        lambda x: torch.linalg.cholesky_ex(x, upper=True).L,
        [spd],
        rng,
        tolerance=tol,
    )


def test_vecdot_and_diagonal_match_torch(rng):
    x, y = rng.standard_normal((3, 4)), rng.standard_normal((4,))
    compare(
        lambda a, b: cr.linalg.vecdot(a, b), lambda a, b: torch.linalg.vecdot(a, b), [x, y], rng
    )
    compare(
        lambda a, b: cr.linalg.vecdot(a, b, dim=0),
        lambda a, b: torch.linalg.vecdot(a, b, dim=0),
        [x, x],
        rng,
    )
    z = rng.standard_normal((2, 3, 4))
    compare(
        lambda a: cr.linalg.diagonal(a, offset=1, dim1=0, dim2=2),
        lambda a: torch.linalg.diagonal(a, offset=1, dim1=0, dim2=2),
        [z],
        rng,
    )


def test_names_live_where_torch_keeps_them():
    linalg_only = [
        "eigh",
        "eigvalsh",
        "eig",
        "eigvals",
        "lu_factor",
        "lu_factor_ex",
        "matrix_norm",
        "matrix_rank",
        "svdvals",
        "vecdot",
        "cholesky_ex",
        "inv_ex",
        "solve_ex",
    ]
    for name in linalg_only + ["lu", "lu_solve", "cond", "diagonal", "matrix_exp"]:
        assert hasattr(cr.linalg, name) == hasattr(torch.linalg, name), name
    # torch.eig and torch.matrix_rank survive only as stubs that raise "removed": not copied
    top = [n for n in linalg_only if n not in ("eig", "matrix_rank")]
    for name in top + ["lu", "lu_solve", "lu_unpack", "matrix_exp", "diagonal"]:
        assert hasattr(cr, name) == hasattr(torch, name), name
