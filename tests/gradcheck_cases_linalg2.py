"""gradcheck cases for linalg2's Functions (eigh, eig, LU and lu_solve, pdist, frexp and the
special functions), merged into gradcheck_cases.PRIMITIVES: name -> make(rng) -> (fn, *float64
inputs that require grad), away from repeated eigenvalues, zero distances and poles."""

import numpy as np

import chainrule as cr


def _t(rng, *shape, low=-2.0, high=2.0):
    return cr.tensor(rng.uniform(low, high, shape), requires_grad=True)


def _spread(rng, n):
    """A matrix with well separated real eigenvalues (near-triangular)."""
    a = np.triu(rng.standard_normal((n, n))) + np.diag(np.arange(1.0, n + 1) * 3)
    return cr.tensor(a + 0.1 * np.tril(rng.standard_normal((n, n)), -1), requires_grad=True)


LINALG2_CASES = {
    "eigh": lambda r: (
        lambda a: (
            lambda s: (s[0] * 2).sum(-1) + (s[1] ** 2).sum((-2, -1)) + (s[1].sum(-2) ** 2).sum(-1)
        )(cr.linalg.eigh(a + a.transpose(-2, -1))),
        _spread(r, 3),
    ),
    "eig": lambda r: (
        lambda a: cr.linalg.eigvals(a).sum() + (cr.linalg.eig(a).eigenvectors.sum(-2) ** 2).sum(),
        _spread(r, 3),
    ),
    "lu_factor_and_solve": lambda r: (
        lambda a, b: (
            cr.linalg.lu_factor(a).LU.sum() * 0.1 + cr.linalg.lu_solve(*cr.linalg.lu_factor(a), b)
        ),
        _spread(r, 3),
        _t(r, 3, 2),
    ),
    "pdist": lambda r: (lambda x: cr.pdist(x, 1.5), _t(r, 4, 3)),
    "frexp": lambda r: (lambda x: cr.frexp(x).mantissa, _t(r, 2, 3, low=0.6, high=0.9)),
    "bessel_i": lambda r: (
        lambda x: cr.special.i0(x) + cr.special.i0e(x) + cr.special.i1(x) + cr.special.i1e(x),
        _t(r, 2, 3),
    ),
    "ndtri_erfcx": lambda r: (
        lambda p: cr.special.ndtri(p) + cr.special.erfcx(p),
        _t(r, 2, 3, low=0.1, high=0.9),
    ),
    "polygamma_zeta": lambda r: (
        lambda x: cr.special.polygamma(2, x) + cr.special.zeta(2.5, x),
        _t(r, 2, 3, low=0.5, high=3.0),
    ),
}
