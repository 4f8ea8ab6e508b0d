"""erf on whole arrays, to float64 accuracy, for the exact GELU.

NumPy has no erf and the core may not depend on SciPy; calling ``math.erf`` per element
through ``np.frompyfunc`` costs a Python call per number (25x a ReLU on a 256x1024 batch).
This is W. J. Cody's rational Chebyshev approximation (Math. Comp. 23 (1969) 631-637, the
coefficients of his CALERF routine), evaluated on three intervals of |x|:

* |x| <= 0.46875:  erf(x) = x P(x^2) / Q(x^2)
* 0.46875 < |x| <= 4:  erfc(|x|) = exp(-x^2) R(|x|) / S(|x|)
* |x| > 4:  erfc(|x|) = exp(-x^2) / |x| (1/sqrt(pi) + 1/x^2 T(1/x^2) / U(1/x^2))

and erf = sign(x) (1 - erfc(|x|)) on the last two. Each is accurate to about 1e-16.
"""

from __future__ import annotations

import numpy as np

_SMALL_P = (
    3.16112374387056560e00,
    1.13864154151050156e02,
    3.77485237685302021e02,
    3.20937758913846947e03,
    1.85777706184603153e-1,
)
_SMALL_Q = (
    2.36012909523441209e01,
    2.44024637934444173e02,
    1.28261652607737228e03,
    2.84423683343917062e03,
)
_MID_P = (
    5.64188496988670089e-1,
    8.88314979438837594e00,
    6.61191906371416295e01,
    2.98635138197400131e02,
    8.81952221241769090e02,
    1.71204761263407058e03,
    2.05107837782607147e03,
    1.23033935479799725e03,
    2.15311535474403846e-8,
)
_MID_Q = (
    1.57449261107098347e01,
    1.17693950891312499e02,
    5.37181101862009858e02,
    1.62138957456669019e03,
    3.29079923573345963e03,
    4.36261909014324716e03,
    3.43936767414372164e03,
    1.23033935480374942e03,
)
_TAIL_P = (
    3.05326634961232344e-1,
    3.60344899949804439e-1,
    1.25781726111229246e-1,
    1.60837851487422766e-2,
    6.58749161529837803e-4,
    1.63153871373020978e-2,
)
_TAIL_Q = (
    2.56852019228982242e00,
    1.87295284992346725e00,
    5.27905102951428412e-1,
    6.05183413124413191e-2,
    2.33520497626869185e-3,
)
_INV_SQRT_PI = 5.6418958354775628695e-1
_SMALL, _MID = 0.46875, 4.0


def erf(x: np.ndarray) -> np.ndarray:
    """erf of every element, computed in float64 (and returned in float64)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.abs(x)
    out = np.empty_like(x)
    small = y <= _SMALL
    if small.any():
        out[small] = _erf_small(x[small])
    mid = ~small & (y <= _MID)
    if mid.any():
        out[mid] = np.copysign(1.0 - _erfc_mid(y[mid]), x[mid])
    tail = y > _MID
    if tail.any():
        out[tail] = np.copysign(1.0 - _erfc_tail(y[tail]), x[tail])
    nan = np.isnan(x)
    if nan.any():
        out[nan] = np.nan
    return out


def _ratio(t: np.ndarray, top: tuple, bottom: tuple) -> np.ndarray:
    """(t^n top[n] + top[0] t^(n-1) + ... + top[n-1]) / (t^n + bottom[0] t^(n-1) + ...),
    Cody's nesting of his numerator and denominator; in place, as this is the hot loop."""
    num = t * top[-1]
    den = t.copy()
    for p, q in zip(top[:-2], bottom[:-1]):
        num += p
        num *= t
        den += q
        den *= t
    num += top[-2]
    den += bottom[-1]
    num /= den
    return num


def _erf_small(x: np.ndarray) -> np.ndarray:
    return x * _ratio(x * x, _SMALL_P, _SMALL_Q)


def _erfc_mid(y: np.ndarray) -> np.ndarray:
    return _times_exp_minus_square(y, _ratio(y, _MID_P, _MID_Q))


def _erfc_tail(y: np.ndarray) -> np.ndarray:
    y = np.minimum(y, 30.0)  # erfc is 0 in float64 from 26.6 on; this keeps inf out of it
    z = 1.0 / (y * y)
    ratio = z * _ratio(z, _TAIL_P, _TAIL_Q)
    np.subtract(_INV_SQRT_PI, ratio, out=ratio)
    ratio /= y
    return _times_exp_minus_square(y, ratio)


def _times_exp_minus_square(y: np.ndarray, ratio: np.ndarray) -> np.ndarray:
    # exp(-y^2) split as exp(-a^2) exp(-(y - a)(y + a)) with a = y rounded down to 1/16:
    # a^2 is exact, so the rounding error of y^2 does not get amplified by the exponential.
    a = np.trunc(y * 16.0)
    a *= 1.0 / 16.0
    with np.errstate(under="ignore"):  # erfc underflows to 0 past |x| ~ 26.5, as it should
        ratio *= np.exp(-(a * a))
        ratio *= np.exp((a - y) * (y + a))
    return ratio
