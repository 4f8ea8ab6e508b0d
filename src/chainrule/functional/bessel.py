"""Bessel functions in float64 on whole arrays, in NumPy: the modified I0 and I1 (and their
exponentially scaled forms i0e, i1e) and J0 and J1 of the first kind, as torch.special has them.

* I0, I1 for |x| < 30: their power series, all of whose terms are positive (no cancellation);
  from 30 up, Hankel's asymptotic series e^x / sqrt(2 pi x) sum (-1)^k a_k(nu) / x^k, with
  a_k(nu) = prod_j (4 nu^2 - (2j - 1)^2) / (k! 8^k), whose terms fall below 1e-18 by k = 30.
* J0, J1 for |x| <= 4: the alternating power series (its terms stay below 4, so the absolute
  error stays near 1e-15); up to 25, Miller's backward recurrence J_(n-1) = 2n/x J_n - J_(n+1),
  normalised by J0 + 2 (J2 + J4 + ...) = 1; from 25, the Hankel expansion
  J_nu(x) = sqrt(2 / (pi x)) (P cos(x - (2 nu + 1) pi / 4) - Q sin(...)).

Accuracy is absolute near the zeros of J0 and J1, as for Cephes' (whose tables torch uses)."""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function

_SERIES_TERMS = 80
_HANKEL_TERMS = 30


def _hankel_sums(nu: int, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sum of a_k / x^k with alternating signs, and P, Q: its even and odd parts), x >= 25."""
    term = np.ones_like(x)
    alternating, p, q = term.copy(), term.copy(), np.zeros_like(x)
    for k in range(1, _HANKEL_TERMS):
        term = term * (4 * nu * nu - (2 * k - 1) ** 2) / (8.0 * k * x)
        alternating = alternating + (-1) ** k * term
        if k % 2 == 0:
            p = p + (-1) ** (k // 2) * term
        else:
            q = q + (-1) ** ((k - 1) // 2) * term
    return alternating, p, q


def _modified_series(nu: int, x: np.ndarray) -> np.ndarray:
    quarter = 0.25 * x * x
    term = np.ones_like(x) if nu == 0 else 0.5 * x
    total = term.copy()
    for k in range(1, _SERIES_TERMS):
        term = term * quarter / (k * (k + nu))
        total = total + term
    return total


def modified_bessel(nu: int, x: np.ndarray, scaled: bool) -> np.ndarray:
    """I_nu(x) (nu = 0, 1), or exp(-|x|) I_nu(x) when scaled."""
    x = np.asarray(x, dtype=np.float64)
    a = np.abs(x)
    small = a < 30.0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        near = _modified_series(nu, np.where(small, a, 0.0))
        if scaled:
            near = near * np.exp(-a)
        far_a = np.where(small, 30.0, a)
        series = _hankel_sums(nu, far_a)[0]
        # unscaled: exp(x) first, overflowing past x = 709.78 as torch's does
        front = 1.0 if scaled else np.exp(far_a)
        far = front * series / np.sqrt(2 * np.pi * far_a)
        out = np.where(small, near, far)
        out = np.where(np.isinf(a), 0.0 if scaled else np.nan, out)  # torch's NaN: inf / inf
    return np.copysign(out, x) if nu == 1 else out


def _j_series(nu: int, x: np.ndarray) -> np.ndarray:
    quarter = -0.25 * x * x
    term = np.ones_like(x) if nu == 0 else 0.5 * x
    total = term.copy()
    for k in range(1, 30):
        term = term * quarter / (k * (k + nu))
        total = total + term
    return total


def _j_miller(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(J0, J1) for 0 < x < 25 by backward recurrence from an order well above x."""
    top = 2 * (int(np.max(x, initial=0.0)) + 30)
    upper, current = np.zeros_like(x), np.full_like(x, 1e-30)
    norm = np.zeros_like(x)
    for n in range(top, 0, -1):
        upper, current = current, 2 * n / x * current - upper  # J_(n-1) from J_n, J_(n+1)
        if n > 1 and n % 2 == 1:  # J_(n-1) of even order enters the normalising sum twice
            norm = norm + 2 * current
        big = np.abs(current) > 1e250
        if big.any():  # rescale all that is kept; only the ratios matter
            scale = np.where(big, 1e-250, 1.0)
            upper, current, norm = upper * scale, current * scale, norm * scale
    norm = norm + current
    return current / norm, upper / norm


def bessel_j(nu: int, x: np.ndarray) -> np.ndarray:
    """J_nu(x) for nu = 0, 1 in float64 (J0 even, J1 odd)."""
    x = np.asarray(x, dtype=np.float64)
    a = np.abs(x)
    out = np.empty_like(a)
    near, mid, far = a <= 4.0, (a > 4.0) & (a < 25.0), a >= 25.0
    out[near] = _j_series(nu, a[near])
    if mid.any():
        out[mid] = _j_miller(a[mid])[nu]
    if far.any():
        y = a[far]
        _, p, q = _hankel_sums(nu, np.where(np.isinf(y), 25.0, y))
        with np.errstate(invalid="ignore"):
            c, s = np.cos(y), np.sin(y)
            if nu == 0:  # cos and sin of x - pi/4 without rounding x - pi/4
                cos_chi, sin_chi = (c + s) / np.sqrt(2), (s - c) / np.sqrt(2)
            else:  # of x - 3 pi / 4
                cos_chi, sin_chi = (s - c) / np.sqrt(2), -(s + c) / np.sqrt(2)
            value = np.sqrt(2 / (np.pi * y)) * (p * cos_chi - q * sin_chi)
        out[far] = value  # NaN at inf (cos(inf)), as torch's
    out[np.isnan(a)] = np.nan
    return np.where(x < 0, -out, out) if nu == 1 else out


def _float(x: np.ndarray, values: np.ndarray) -> np.ndarray:
    return values.astype(x.dtype if x.dtype.kind == "f" else np.float64, copy=False)


class I0(Function):
    """y = I0(x); dy/dx = I1(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return _float(x, modified_bessel(0, x, False))

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * _float(ctx.x, modified_bessel(1, ctx.x, False))


class I0e(Function):
    """y = exp(-|x|) I0(x); dy/dx = i1e(x) - sign(x) y."""

    @staticmethod
    def forward(ctx, x):
        y = _float(x, modified_bessel(0, x, True))
        ctx.save(x=x, y=y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * (_float(ctx.x, modified_bessel(1, ctx.x, True)) - np.sign(ctx.x) * ctx.y)


class I1(Function):
    """y = I1(x); dy/dx = I0(x) - y / x (1/2 at 0)."""

    @staticmethod
    def forward(ctx, x):
        y = _float(x, modified_bessel(1, x, False))
        ctx.save(x=x, y=y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        x = ctx.x
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = modified_bessel(0, x, False) - np.where(
                x == 0, 0.5, ctx.y / np.where(x == 0, 1, x)
            )
        return grad_y * _float(x, slope)


class I1e(Function):
    """y = exp(-|x|) I1(x); dy/dx = i0e(x) - y (sign(x) + 1/x) (1/2 at 0)."""

    @staticmethod
    def forward(ctx, x):
        y = _float(x, modified_bessel(1, x, True))
        ctx.save(x=x, y=y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        x, y = ctx.x, ctx.y
        safe = np.where(x == 0, 1, x)
        slope = modified_bessel(0, x, True) - np.where(x == 0, 0.5, y * (np.sign(x) + 1 / safe))
        return grad_y * _float(x, slope)
