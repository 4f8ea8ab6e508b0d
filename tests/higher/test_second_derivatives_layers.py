"""Second derivatives of convolutions, pooling, padding, embedding, index writes, the other
activations, Huber / smooth-L1, products and the linalg ops through create_graph=True,
against torch 2.13 in float64 (grad of <grad(f), w> for every input, to 1e-9 relative), and
by gradgradcheck's finite differences of the first backward."""

import numpy as np
import pytest

import chainrule as cr

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")


def F(lib):
    return lib.nn.functional


def _set(x, v):
    y = x * 1
    y[1] = v
    return y


def _spd(lib, a):
    return a @ a.transpose(-1, -2) + 3 * lib.eye(a.shape[-1], dtype=lib.float64)


def _mask(lib):
    return lib.arange(12.0, dtype=lib.float64).reshape(3, 4) != 5


P, Q = (3, 4), (3, 4)
# name: (function of lib and inputs, the inputs' shapes)
CASES = {
    "conv2d": (lambda L, x, w, b: F(L).conv2d(x, w, b, stride=2, padding=1) ** 2,
               [(2, 4, 7, 7), (6, 4, 3, 3), (6,)]),
    "conv2d_groups_dilation": (
        lambda L, x, w, b: F(L).conv2d(x, w, b, padding=1, groups=2, dilation=2).tanh(),
        [(2, 4, 7, 7), (6, 2, 3, 3), (6,)]),
    "conv1d": (lambda L, x, w, b: F(L).conv1d(x, w, b, padding=1) ** 2, [(2, 4, 7), (6, 4, 3), (6,)]),
    "conv3d": (lambda L, x, w, b: F(L).conv3d(x, w, b, padding=1, stride=2) ** 2,
               [(2, 2, 5, 5, 5), (3, 2, 3, 3, 3), (3,)]),
    "conv_transpose2d": (
        lambda L, x, w, b: F(L).conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1)
        ** 2,
        [(2, 4, 5, 5), (4, 3, 3, 3), (3,)]),
    "conv_transpose1d": (lambda L, x, w, b: F(L).conv_transpose1d(x, w, b, stride=2, padding=1) ** 2,
                         [(2, 4, 5), (4, 3, 3), (3,)]),
    "max_pool2d_tiles": (lambda L, x: F(L).max_pool2d(x * x, 2) ** 2, [(2, 3, 6, 6)]),
    "max_pool2d": (lambda L, x: F(L).max_pool2d(x * x, 3, 2, 1) ** 2, [(2, 3, 7, 7)]),
    "max_pool1d": (lambda L, x: F(L).max_pool1d(x * x, 3, 2, 1) ** 2, [(2, 3, 7)]),
    "max_pool3d": (lambda L, x: F(L).max_pool3d(x * x, 2, 2, 1) ** 2, [(2, 2, 5, 5, 5)]),
    "avg_pool2d": (lambda L, x: F(L).avg_pool2d(x * x, 3, 2, 1) ** 2, [(2, 3, 7, 7)]),
    "avg_pool1d": (lambda L, x: F(L).avg_pool1d(x * x, 3, 2, 1) ** 2, [(2, 3, 7)]),
    "avg_pool3d": (lambda L, x: F(L).avg_pool3d(x * x, 2) ** 2, [(2, 2, 4, 4, 4)]),
    "adaptive_avg_pool2d": (lambda L, x: F(L).adaptive_avg_pool2d(x * x, (3, 2)) ** 2,
                            [(2, 3, 7, 5)]),
    "adaptive_max_pool2d": (lambda L, x: F(L).adaptive_max_pool2d(x * x, (3, 2)) ** 2,
                            [(2, 3, 7, 5)]),
    "adaptive_avg_pool3d": (lambda L, x: F(L).adaptive_avg_pool3d(x * x, (3, 2, 2)) ** 2,
                            [(2, 3, 5, 5, 4)]),
    "pad_reflect": (lambda L, x: F(L).pad(x * x, (1, 2, 2, 1), mode="reflect") ** 2, [(2, 3, 5, 5)]),
    "pad_constant": (lambda L, x: F(L).pad(x * x, (1, 2), value=3.0) ** 2, [(2, 3, 5)]),
    "unfold": (lambda L, x: F(L).unfold(x * x, 2, padding=1, stride=2) ** 2, [(2, 3, 5, 5)]),
    "fold": (lambda L, x: F(L).fold(x * x, (5, 5), 2, padding=1, stride=2) ** 2, [(2, 12, 9)]),
    "fractional_max_pool2d": (
        lambda L, x: F(L).fractional_max_pool2d(
            x * x, 2, output_size=(3, 3), _random_samples=L.tensor(np.full((2, 3, 2), 0.5))
        )
        ** 2,
        [(2, 3, 6, 6)],
    ),
    "nan_to_num": (lambda L, a, b: L.nan_to_num(a * b) ** 2, [P, Q]),
    "embedding": (
        lambda L, w: F(L).embedding(L.tensor([[0, 2, 2], [1, 0, 3]]), w * w, padding_idx=1) ** 2,
        [(4, 3)]),
    "einsum": (lambda L, a, b: L.einsum("ij,kj->ik", a * a, b) ** 2, [P, Q]),
    "huber": (lambda L, a, b: F(L).huber_loss(a * a, b, delta=0.7) * a.sum(), [P, Q]),
    "smooth_l1": (
        lambda L, a, b: F(L).smooth_l1_loss(a * b, b.detach(), beta=0.5, reduction="sum")
        * a.sum(),
        [P, Q]),
    "selu": (lambda L, a, b: F(L).selu(a * b), [P, Q]),
    "celu": (lambda L, a, b: F(L).celu(a * b, alpha=0.5), [P, Q]),
    "prelu": (lambda L, a, b: F(L).prelu(a * a - 1, b[0, :3].abs()) ** 2, [(2, 3, 4), Q]),
    "hardswish": (lambda L, a, b: F(L).hardswish(a * 3 * b) * a, [P, Q]),
    "softshrink": (lambda L, a, b: F(L).softshrink(a * b, 0.3) * a, [P, Q]),
    "sinh_cosh_expm1": (lambda L, a, b: a.sinh() * b.cosh() + (a * b).expm1(), [P, Q]),
    "asin_acos": (lambda L, a, b: (a * 0.3).tanh().asin() * (b * 0.3).tanh().acos(), [P, Q]),
    "inverse_hyperbolic": (
        lambda L, a, b: (a * b).asinh() + (a * a + 1.5).acosh() + (b * 0.3).tanh().atanh(),
        [P, Q]),
    "atan2": (lambda L, a, b: L.atan2(a * b, b + 2), [P, Q]),
    "logaddexp": (lambda L, a, b: L.logaddexp(a * b, b) + L.logaddexp2(a, a * b), [P, Q]),
    "hypot": (lambda L, a, b: L.hypot(a * b, b), [P, Q]),
    "logit": (
        lambda L, a, b: L.logit((a * b).sigmoid() * 0.9 + 0.05) + L.logit((a * b).sigmoid(), eps=0.2),
        [P, Q]),
    "lerp": (lambda L, a, b: L.lerp(a * b, b * b, a.sigmoid()) + L.lerp(a, b * a, 0.3) ** 2, [P, Q]),
    "cumsum": (lambda L, a, b: (a * b).cumsum(1) ** 2, [P, Q]),
    "cumprod": (lambda L, a, b: (a * b).cumprod(0), [P, Q]),
    "prod": (lambda L, a, b: (a * b).prod(1) + (a * b).prod(0, keepdim=True).sum() + a.prod(), [P, Q]),
    "prod_with_zeros": (lambda L, a, b: (a * b * _mask(L)).prod(1) + (a * _mask(L)).prod(), [P, Q]),
    "tril_triu": (lambda L, a, b: (a * b).tril(-1) ** 2 + (a @ b.T).triu().sum(), [P, Q]),
    "scatter": (
        lambda L, a, b: a.scatter(1, L.tensor([[0, 2], [1, 3], [3, 0]]), b[:, :2] * b[:, 2:]) ** 2,
        [P, Q]),
    "scatter_add": (
        lambda L, a, b: (a * a).scatter_add(1, L.tensor([[0, 0], [1, 3], [3, 0]]), b[:, :2] * a[:, 2:])
        ** 2,
        [P, Q]),
    "index_add": (
        lambda L, a, b: (a * a).index_add(1, L.tensor([0, 2]), b[:, :2] * a[:, 1:3], alpha=2.0) ** 2,
        [P, Q]),
    "index_put": (lambda L, a, b: (a * a).index_put((L.tensor([0, 2]),), b[0] * b[1]) ** 2, [P, Q]),
    "setitem": (lambda L, a, b: _set(a * a, b[0] * a[1]) ** 2, [P, Q]),
    "inv": (lambda L, a, b: L.linalg.inv(_spd(L, a)) * b[:, :3], [(3, 3), Q]),
    "solve": (lambda L, a, b: L.linalg.solve(_spd(L, a) + a, b * b), [(3, 3), Q]),
    "solve_vector": (lambda L, a, b: L.linalg.solve(_spd(L, a) + a, b[:, 0] * b[:, 1]), [(3, 3), Q]),
    "det": (lambda L, a, b: L.linalg.det(a + b[:, :3]) * a.sum(), [(3, 3), Q]),
    "slogdet": (lambda L, a, b: L.linalg.slogdet(a + b[:, :3])[1] * a.sum(), [(3, 3), Q]),
    "cholesky": (lambda L, a, b: L.linalg.cholesky(_spd(L, a) * (b[0, 0] ** 2 + 0.5)) ** 2,
                 [(3, 3), Q]),
    "lgamma": (lambda L, a, b: (a * a + 0.5).lgamma() * b, [P, Q]),
    "digamma_polygamma": (
        lambda L, a, b: (a * a + 0.5).digamma() * b + L.polygamma(2, b * b + 1), [P, Q]
    ),
    "erfinv": (lambda L, a, b: (a * 0.3).tanh().erfinv() * b, [P, Q]),
    "erfc_ndtr": (lambda L, a, b: L.special.erfc(a * b) + L.special.ndtr(a - b), [P, Q]),
    "entr": (lambda L, a, b: L.special.entr(a * a + 0.1) * b, [P, Q]),
    "sinc": (lambda L, a, b: L.sinc(a * b), [P, Q]),
    "frac": (lambda L, a, b: (a * 3).frac() * b * a, [P, Q]),
    "diag": (lambda L, a, b: L.diag(a[0] * b[0], 1) ** 2 + L.diag(a * b, -1).sum(), [P, Q]),
    "diag_embed": (lambda L, a, b: L.diag_embed(a * b, offset=1) ** 2, [P, Q]),
    "xlogy": (lambda L, a, b: L.xlogy(a * b, b * b + 0.5), [P, Q]),
    "fmax_fmin": (lambda L, a, b: L.fmax(a * b, b) * a + L.fmin(a, b * a) ** 2, [P, Q]),
    "copysign": (lambda L, a, b: L.copysign(a * b, b) * a, [P, Q]),
    "remainder_fmod": (
        lambda L, a, b: L.remainder(a * 3, b.abs() + 0.5) * a + L.fmod(a * 3, b.abs() + 0.5) ** 2,
        [P, Q],
    ),
    "select_scatter": (lambda L, a, b: L.select_scatter(a * a, b[0] * a[1], 0, 1) ** 2, [P, Q]),
    "slice_scatter": (
        lambda L, a, b: L.slice_scatter(a * a, b[:, :2] * b[:, 2:], 1, 1, 3) ** 2, [P, Q]
    ),
    "diagonal_scatter": (
        lambda L, a, b: L.diagonal_scatter(a * a, b[0, :3] * a[1, :3]) ** 2, [P, Q]
    ),
    "as_strided": (lambda L, a, b: L.as_strided(a * b, (2, 3), (1, 2), 1) ** 2, [P, Q]),
}  # fmt: skip


# chainrule's polygamma series agrees with torch's to 1e-10 in first order already
TOLERANCE = {"lgamma": 1e-8, "digamma_polygamma": 1e-8}


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
        np.testing.assert_allclose(
            mine / scale, theirs / scale, rtol=0, atol=TOLERANCE.get(name, 1e-9)
        )


# gradgradcheck's finite differences cost two first backwards per element: small shapes
SMALL = {
    "conv2d": (lambda x, w, b: cr.nn.functional.conv2d(x, w, b, stride=2, padding=1) ** 2,
               [(1, 2, 4, 4), (2, 2, 2, 2), (2,)]),
    "conv_transpose1d": (lambda x, w, b: cr.nn.functional.conv_transpose1d(x, w, b, stride=2) ** 2,
                         [(1, 2, 3), (2, 2, 2), (2,)]),
    "max_pool2d": (lambda x: cr.nn.functional.max_pool2d(x * x, 2, 1) ** 2, [(1, 1, 3, 3)]),
    "avg_pool2d": (lambda x: cr.nn.functional.avg_pool2d(x * x, 2, 1, 1) ** 2, [(1, 1, 3, 3)]),
    "pad_replicate": (lambda x: cr.nn.functional.pad(x * x, (1, 2), mode="replicate") ** 2,
                      [(1, 2, 3)]),
    "huber": (lambda a, b: cr.nn.functional.huber_loss(a * a, b, delta=0.5) * a.sum(), [(2, 3)] * 2),
    "selu": (lambda a: cr.nn.functional.selu(a) * a, [(2, 3)]),
    "prod": (lambda a: a.prod(1) * a.cumprod(1)[:, -1], [(2, 3)]),
    "cholesky": (lambda a: cr.linalg.cholesky(a @ a.T + cr.eye(2, dtype=cr.float64)) ** 2, [(2, 2)]),
    "det_inv": (lambda a: cr.linalg.det(a) * cr.linalg.inv(a + 2 * cr.eye(2, dtype=cr.float64)),
                [(2, 2)]),
    "index_put": (lambda a, b: (a * a).index_put((cr.tensor([0]),), b[1] * a[1]) ** 2, [(2, 3)] * 2),
    # torch's first derivative of as_strided_scatter differs from chainrule's (and from the
    # finite differences), so this one is checked numerically only
    "as_strided_scatter": (
        lambda a, b: cr.as_strided_scatter(a * a, (b * b)[:2, :2], (2, 2), (1, 2), 1) ** 2,
        [(2, 3)] * 2,
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(SMALL))
def test_gradgradcheck_by_finite_differences(name):
    fn, shapes = SMALL[name]
    _, arrays = _arrays(name, shapes)
    inputs = [cr.tensor(a, requires_grad=True) for a in arrays]
    assert cr.autograd.gradgradcheck(fn, inputs, atol=1e-6, rtol=1e-5)
