"""torch.linalg's spellings of the decompositions and solves, found missing by program p59 (a GP
fitted by hand): each against torch, with the gradients a GP's marginal likelihood needs."""

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(6)
A = RNG.standard_normal((4, 4))
SPD = A @ A.T + 4 * np.eye(4)
B = RNG.standard_normal((4, 2))


def _both(fn):
    """fn(lib, spd, b) on both libraries; returns outputs and the gradients of spd and b."""
    results = []
    for lib in (chainrule, torch):
        spd = lib.tensor(SPD, requires_grad=True)
        b = lib.tensor(B, requires_grad=True)
        out = fn(lib, spd, b)
        out.sum().backward() if out.requires_grad else None
        grads = [None if t.grad is None else t.grad.numpy() for t in (spd, b)]
        results.append((out.detach().numpy(), grads))
    return results


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, a, b: lib.linalg.cholesky(a),
        lambda lib, a, b: lib.linalg.cholesky(a, upper=True),
        lambda lib, a, b: lib.cholesky_solve(b, lib.linalg.cholesky(a)),
        lambda lib, a, b: lib.linalg.solve_triangular(lib.linalg.cholesky(a), b, upper=False),
        lambda lib, a, b: lib.linalg.solve_triangular(a, b, upper=True),
        lambda lib, a, b: lib.linalg.solve_triangular(a, b, upper=False, unitriangular=True),
        lambda lib, a, b: lib.linalg.solve_triangular(a, b.T, upper=True, left=False),
        lambda lib, a, b: lib.linalg.det(a),
        lambda lib, a, b: lib.linalg.slogdet(a).logabsdet,
        lambda lib, a, b: lib.linalg.svd(a @ b, full_matrices=False).S,
        lambda lib, a, b: lib.linalg.svdvals(a),
        lambda lib, a, b: lib.linalg.qr(a).R.abs(),
        lambda lib, a, b: lib.linalg.matrix_exp(a / 10),
        lambda lib, a, b: lib.linalg.matrix_power(a, 3),
        lambda lib, a, b: lib.linalg.multi_dot([b.T, a, b]),
        lambda lib, a, b: lib.linalg.vecdot(a, a),
        lambda lib, a, b: lib.linalg.cross(b[:3].T, b[1:].T),
        lambda lib, a, b: lib.linalg.diagonal(a, offset=1),
        lambda lib, a, b: lib.linalg.cholesky_ex(a)[0],
        lambda lib, a, b: lib.linalg.solve_ex(a, b)[0],
    ],
)
def test_linalg_forms_match_torch(fn):
    (ours, our_grads), (theirs, their_grads) = _both(fn)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-10)
    for mine, other in zip(our_grads, their_grads):
        assert (mine is None) == (other is None)
        if other is not None:
            np.testing.assert_allclose(mine, other, rtol=1e-8, atol=1e-10)


def test_svd_gives_vh_as_torch_linalg():
    u, s, vh = chainrule.linalg.svd(chainrule.tensor(A))
    np.testing.assert_allclose((u * s) @ vh, A, atol=1e-12)
    assert chainrule.linalg.qr(chainrule.tensor(A), mode="r").Q.numel() == 0


def test_complete_qr_of_a_tall_matrix_refuses_a_gradient_as_torch():
    """It used to fail in the backward's solve with 'expected an invertible matrix'."""
    for lib in (chainrule, torch):
        tall = lib.tensor(B, requires_grad=True)
        q = lib.linalg.qr(tall, mode="complete").Q
        assert tuple(q.shape) == (4, 4)
        with pytest.raises(RuntimeError, match="complete"):
            q.sum().backward()


def test_info_codes_are_int32_zeros_per_matrix():
    batch = chainrule.tensor(np.stack([SPD, SPD]))
    for lib in (chainrule, torch):
        info = lib.linalg.inv_ex(lib.tensor(np.stack([SPD, SPD])))[1]
        assert tuple(info.shape) == (2,) and str(info.dtype).endswith("int32")
    assert tuple(chainrule.linalg.cholesky_ex(batch)[1].shape) == (2,)


@pytest.mark.parametrize("lib", [chainrule, torch], ids=["chainrule", "torch"])
def test_gp_jitter_retry_catches_linalg_error(lib):
    """GP code retries a failed Cholesky with more jitter by catching torch.linalg.LinAlgError."""
    singular = lib.tensor([[1.0, 1.0], [1.0, 1.0]]) - 1e-3 * lib.eye(2)
    jitter, factor = 1e-6, None
    while factor is None:
        try:
            factor = lib.linalg.cholesky(singular + jitter * lib.eye(2))
        except lib.linalg.LinAlgError:
            jitter *= 10
    assert jitter == pytest.approx(1e-2)
    with pytest.raises(lib.linalg.LinAlgError):
        lib.linalg.inv(lib.tensor([[1.0, 2.0], [2.0, 4.0]]))
    with pytest.raises(RuntimeError):
        lib.linalg.cholesky(singular)
