"""gradcheck cases for the tensorapi Functions (binary and unary math, special functions,
scans, diag_embed, scatter_reduce, decompositions), merged into gradcheck_cases.PRIMITIVES.

Same form: name -> make(rng) -> (fn, *float64 inputs that require grad), each away from the
points where the function has no derivative (poles, ties, repeated singular values)."""

import numpy as np

import chainrule as cr


def _t(rng, *shape, low=-2.0, high=2.0):
    return cr.tensor(rng.uniform(low, high, shape), requires_grad=True)


def _spd(rng, n):
    a = rng.standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


def _distinct(rng, *shape):
    """Values at least 0.2 apart: no ties for fmax, amax and friends."""
    values = rng.permutation(int(np.prod(shape))) * 0.3 - 1.0
    return cr.tensor(values.reshape(shape), requires_grad=True)


TENSORAPI_CASES = {
    "logaddexp": lambda r: (
        lambda a, b: cr.logaddexp(a, b) + cr.logaddexp2(a, b),
        _t(r, 2, 3),
        _t(r, 3),
    ),
    "hypot": lambda r: (cr.hypot, _t(r, 2, 3, low=0.5), _t(r, 3, low=0.5)),
    "copysign": lambda r: (cr.copysign, _t(r, 2, 3, low=0.5), _t(r, 3, low=0.5)),
    "fmax_fmin": lambda r: (
        lambda a, b: cr.fmax(a, b) + 2 * cr.fmin(a, b),
        _distinct(r, 2, 3),
        _distinct(r, 3) + 0.1,
    ),
    "xlogy": lambda r: (cr.xlogy, _t(r, 2, 3), _t(r, 3, low=0.5)),
    "frac_exp2_sinc": lambda r: (
        lambda x: cr.frac(x) + cr.exp2(x) + cr.sinc(x),
        _t(r, 5, low=0.1, high=0.9),
    ),
    "logit": lambda r: (lambda x: cr.logit(x) + cr.logit(x, eps=0.01), _t(r, 5, low=0.1, high=0.9)),
    "erfinv": lambda r: (cr.erfinv, _t(r, 5, low=-0.9, high=0.9)),
    "lgamma_digamma": lambda r: (
        lambda x: cr.lgamma(x) + cr.digamma(x),
        _t(r, 5, low=0.3, high=4.0),
    ),
    "logcumsumexp": lambda r: (lambda x: cr.logcumsumexp(x, 1), _t(r, 2, 4)),
    "nansum": lambda r: (lambda x: cr.nansum(x, 0) + cr.nanmean(x), _t(r, 2, 3)),
    "diag_embed": lambda r: (lambda x: cr.diag_embed(x, 1, 0, 2), _t(r, 2, 3)),
    "scatter_reduce": lambda r: (
        lambda x, s: sum(
            cr.scatter_reduce(x, 0, cr.tensor(np.array([[0, 1], [0, 0]])), s, mode)
            for mode in ("sum", "prod", "mean", "amax", "amin")
        ),
        _distinct(r, 2, 2),
        _distinct(r, 2, 2) + 0.1,
    ),
    "det_slogdet": lambda r: (
        lambda a: cr.det(a) + cr.slogdet(a).logabsdet,
        cr.tensor(r.standard_normal((3, 3)) + 3 * np.eye(3), requires_grad=True),
    ),
    "cholesky": lambda r: (
        lambda a: cr.cholesky((a + a.transpose(0, 1)) / 2),
        cr.tensor(_spd(r, 3), requires_grad=True),
    ),
    "qr": lambda r: (
        lambda a: cr.qr(a).Q.sum(0) + cr.qr(a).R.sum(1),
        cr.tensor(r.standard_normal((4, 3)), requires_grad=True),
    ),
    "svd": lambda r: (
        lambda a: cr.svd(a).S + (cr.svd(a).U ** 2).sum(0),
        cr.tensor(r.standard_normal((4, 3)), requires_grad=True),
    ),
    "matrix_exp": lambda r: (
        cr.matrix_exp,
        cr.tensor(r.standard_normal((3, 3)), requires_grad=True),
    ),
}
