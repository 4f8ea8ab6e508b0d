"""Second derivatives of the decompositions (qr, svd, eigh, eig, pinv, matrix_exp), the
scans and scatter reductions, and the Bessel and other special functions through
create_graph=True, against torch 2.13 in float64 (grad of <grad(f), w> for every input, to
1e-9 of the largest entry), and by finite differences where torch has no second derivative."""

import numpy as np
import pytest

import chainrule as cr

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")


def _sym(a):
    return a + a.transpose(-1, -2)


def _svd_loss(L, a):
    u, s, vh = L.linalg.svd(a, full_matrices=False)  # sign-free: the columns' outer products
    s = s.unsqueeze(-2)
    left = ((u * s**2) @ u.transpose(-1, -2)).sum(-1, keepdim=True)
    right = ((vh.transpose(-1, -2) * s) @ vh).sum(-2, keepdim=True)
    return ((u * s) @ vh) ** 3 * left + right


def _eigh_loss(L, a):
    w, v = L.linalg.eigh(_sym(a))
    return (v * w.exp()) @ v.transpose(-1, -2) + (v * v) * w


def _qr_loss(L, a):
    q, r = L.linalg.qr(a)
    return (q * q.sum(-2, keepdim=True)).sum(-2) + (r**2).sum(-1)


INDEX = np.array([[0, 1, 0, 2], [2, 2, 1, 0], [1, 0, 3, 3]])


def _scatter(reduce, include_self=True):
    def fn(L, a, b):
        index = L.tensor(INDEX)
        return a.scatter_reduce(1, index, b * b, reduce, include_self=include_self) ** 2

    return fn


def _sample(**config):
    def fn(L, x, grid):
        config.setdefault("align_corners", False)
        return L.nn.functional.grid_sample(x * x, (grid * 1.5).tanh(), **config) ** 2

    return fn


def _lu_solve(**config):
    def fn(L, a, b):
        lu, pivots = L.linalg.lu_factor(a * a + 2 * L.eye(3, dtype=L.float64))
        return L.linalg.lu_solve(lu, pivots, b * b, **config) ** 2

    return fn


P, Q = (3, 4), (3, 4)
# name: (function of lib and inputs, the inputs' shapes)
CASES = {
    "svd": (_svd_loss, [(4, 3)]),
    "svd_wide_batched": (_svd_loss, [(2, 3, 4)]),
    "svdvals": (lambda L, a: L.linalg.svdvals(a) ** 3, [(4, 3)]),
    "eigh": (_eigh_loss, [(4, 4)]),
    "eigh_batched_upper": (lambda L, a: L.linalg.eigh(_sym(a), UPLO="U")[0] ** 3, [(2, 3, 3)]),
    "eigvalsh": (lambda L, a: L.linalg.eigvalsh(a @ a.transpose(-1, -2)).sqrt(), [(3, 3)]),
    "qr": (_qr_loss, [(4, 3)]),
    "qr_square_batched": (_qr_loss, [(2, 3, 3)]),
    "pinv": (lambda L, a: L.linalg.pinv(a) ** 2, [(4, 3)]),
    "pinv_wide": (lambda L, a, b: L.linalg.pinv(a * b) ** 2, [(3, 4), (3, 4)]),
    "matrix_exp": (lambda L, a: L.linalg.matrix_exp(a * 0.5) ** 2, [(3, 3)]),
    "matrix_exp_batched": (lambda L, a, b: L.linalg.matrix_exp(a * b) * b, [(2, 3, 3), (2, 3, 3)]),
    "logcumsumexp": (lambda L, a, b: L.logcumsumexp(a * b, 1) ** 2, [P, Q]),
    "logcumsumexp_dim0": (lambda L, a: L.logcumsumexp(a * 30, 0) * a, [P]),
    "scatter_reduce_sum": (_scatter("sum"), [P, Q]),
    "scatter_reduce_mean": (_scatter("mean", False), [P, Q]),
    "scatter_reduce_amax": (_scatter("amax"), [P, Q]),
    "scatter_reduce_amin": (_scatter("amin", False), [P, Q]),
    "scatter_reduce_prod": (_scatter("prod"), [P, Q]),
    "scatter_reduce_prod_no_self": (_scatter("prod", False), [P, Q]),
    "i0_i1": (lambda L, a, b: L.i0(a * b) + L.special.i1(a * 2) * b, [P, Q]),
    "i0e_i1e": (lambda L, a, b: L.special.i0e(a * b) * L.special.i1e(a - b), [P, Q]),
    "log_ndtr": (lambda L, a, b: L.special.log_ndtr(a * b * 4) * b, [P, Q]),
    "erfcx": (lambda L, a, b: L.special.erfcx(a * b) ** 2, [P, Q]),
    "ndtri": (lambda L, a, b: L.special.ndtri((a * b).sigmoid()) * a, [P, Q]),
    "zeta_q": (lambda L, a: L.special.zeta(3.0, a * a + 1.0) * a, [P]),
    "frexp": (lambda L, a, b: L.frexp(a * b)[0] ** 2 * a, [P, Q]),
    "lu_factor": (lambda L, a: L.linalg.lu_factor(a)[0] ** 3, [(4, 4)]),
    "lu_factor_wide_tall": (lambda L, a, b: L.linalg.lu_factor(a)[0].sum(0) ** 2
                            + L.linalg.lu_factor(b)[0].sum(1) ** 3, [(3, 5), (5, 3)]),
    "lu": (lambda L, a: sum((f**2).sum() for f in L.linalg.lu(a)[1:]), [(2, 3, 3)]),
    "lu_solve": (_lu_solve(), [(3, 3), (3, 2)]),
    "lu_solve_adjoint": (_lu_solve(adjoint=True), [(2, 3, 3), (2, 3, 2)]),
    "lu_solve_right": (_lu_solve(left=False), [(3, 3), (2, 3)]),
    "channels_last": (lambda L, a: a.contiguous(memory_format=L.channels_last) ** 3, [(2, 3, 2, 2)]),
    "grid_sample": (_sample(), [(2, 3, 4, 5), (2, 3, 4, 2)]),
    "grid_sample_border_corners": (_sample(padding_mode="border", align_corners=True),
                                   [(1, 2, 4, 4), (1, 3, 3, 2)]),
    "grid_sample_reflection": (_sample(padding_mode="reflection"), [(1, 2, 4, 4), (1, 3, 3, 2)]),
    "grid_sample_nearest": (_sample(mode="nearest"), [(1, 2, 4, 4), (1, 3, 3, 2)]),
    "grid_sample_bicubic": (_sample(mode="bicubic"), [(1, 2, 4, 5), (1, 3, 3, 2)]),
    "grid_sample_bicubic_border": (_sample(mode="bicubic", padding_mode="border"),
                                   [(1, 2, 4, 5), (1, 3, 3, 2)]),
    "grid_sample_3d": (_sample(), [(1, 2, 3, 4, 4), (1, 2, 3, 3, 3)]),
}  # fmt: skip


def _second(lib, fn, arrays, v, w):
    xs = [lib.tensor(x, requires_grad=True) for x in arrays]
    y = fn(lib, *xs)
    grads = lib.autograd.grad(y, xs, lib.tensor(v), create_graph=True)
    inner = sum((g * lib.tensor(wi)).sum() for g, wi in zip(grads, w))
    seconds = lib.autograd.grad(inner, xs, allow_unused=True)
    return [g.detach().numpy() for g in grads] + [
        np.zeros_like(x) if s is None else s.numpy() for s, x in zip(seconds, arrays)
    ]


def _arrays(name, shapes):
    rng = np.random.default_rng(sum(map(ord, name)))
    return rng, [rng.standard_normal(s) for s in shapes]


@pytest.mark.parametrize("name", sorted(CASES))
def test_grad_of_grad_matches_torch(name):
    fn, shapes = CASES[name]
    rng, arrays = _arrays(name, shapes)
    v = rng.standard_normal(tuple(fn(torch, *map(torch.tensor, arrays)).shape))
    w = [rng.standard_normal(s) for s in shapes]
    for mine, theirs in zip(_second(cr, fn, arrays, v, w), _second(torch, fn, arrays, v, w)):
        scale = max(np.abs(theirs).max(), 1e-300)
        np.testing.assert_allclose(mine / scale, theirs / scale, rtol=0, atol=1e-9)
