"""torch.special's Bessel, zeta, polygamma, ndtri, erfcx and multigammaln as chainrule calls them
(the Functions are in special_more.py, the series in bessel.py). bessel_j0, bessel_j1 and
spherical_bessel_j0 have no gradient in torch, so none here: their results do not require one."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..cpugraph.capture import record_call
from ..errors import ArgumentError
from . import bessel as _b
from . import special_more as _m
from .sorting import _tensor


def _floating(input: Any):  # noqa: A002
    from ..dtypes import get_default_dtype

    x = _tensor(input)
    return x if x.dtype.kind == "f" else x.to(get_default_dtype())


def i0(input: Any):  # noqa: A002
    """The modified Bessel function I0 (torch.i0 and torch.special.i0); dI0/dx = I1."""
    return _b.I0.apply(_floating(input))


def i0e(input: Any):  # noqa: A002
    """exp(-|x|) I0(x), finite where I0 overflows (|x| > 713)."""
    return _b.I0e.apply(_floating(input))


def i1(input: Any):  # noqa: A002
    return _b.I1.apply(_floating(input))


def i1e(input: Any):  # noqa: A002
    return _b.I1e.apply(_floating(input))


def _no_grad(fn: Any, input: Any):  # noqa: A002
    from ..autograd.tensor import Tensor

    x = _floating(input)
    # recorded: a CPUGraph replay computes it for the new input
    return Tensor._wrap(record_call(fn, x._data))


def _j0(x: np.ndarray) -> np.ndarray:
    return _b.bessel_j(0, x).astype(x.dtype, copy=False)


def _j1(x: np.ndarray) -> np.ndarray:
    return _b.bessel_j(1, x).astype(x.dtype, copy=False)


def _sinc(x: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(x == 0, 1.0, np.sin(x) / np.where(x == 0, 1.0, x))
    return np.where(np.isinf(x), 0.0, value).astype(x.dtype, copy=False)


def bessel_j0(input: Any):  # noqa: A002
    """The Bessel function of the first kind J0 (no gradient, as torch)."""
    return _no_grad(_j0, input)


def bessel_j1(input: Any):  # noqa: A002
    return _no_grad(_j1, input)


def spherical_bessel_j0(input: Any):  # noqa: A002
    """sin(x) / x, 1 at 0 (no gradient, as torch)."""
    return _no_grad(_sinc, input)


def polygamma(n: int, input: Any):  # noqa: A002
    """The n-th derivative of digamma (n >= 0), as torch.polygamma; its gradient is
    polygamma(n + 1, x)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ArgumentError(f"polygamma: expected an integer n >= 0, got {n!r}.")
    return _m.Polygamma.apply(_floating(input), n=int(n))


def zeta(input: Any, other: Any):  # noqa: A002
    """Hurwitz's zeta(x, q) = sum_k (q + k)^-x, broadcast; a gradient for q only, as torch."""
    x = input if hasattr(input, "_data") else None
    q = other if hasattr(other, "_data") else None
    if x is None and q is None:
        x = _floating(input)
    if x is None:
        x = _tensor(np.asarray(input, dtype=q.dtype if q.dtype.kind == "f" else None))
    if q is None:
        q = _tensor(np.asarray(other, dtype=x.dtype if x.dtype.kind == "f" else None))
    return _m.Zeta.apply(_floating(x), _floating(q))


def ndtri(input: Any):  # noqa: A002
    """The standard normal quantile: ndtr(ndtri(p)) = p, -inf at 0, inf at 1, NaN outside."""
    return _m.Ndtri.apply(_floating(input))


def erfcx(input: Any):  # noqa: A002
    """exp(x^2) erfc(x), which stays finite (about 1 / (x sqrt(pi))) where erfc underflows."""
    return _m.Erfcx.apply(_floating(input))


def multigammaln(input: Any, p: int):  # noqa: A002
    """log of the multivariate gamma function, p (p - 1) / 4 log(pi) + sum_j lgamma(x - j / 2)
    for j < p (torch.mvlgamma). Like torch 2.13, no domain check: inf at the poles of a term."""
    from .special_functions import lgamma

    if isinstance(p, bool) or not isinstance(p, (int, np.integer)) or p < 1:
        raise ArgumentError(f"multigammaln: expected an integer p >= 1, got {p!r}.")
    x = _floating(input)
    shifts = _tensor(-np.arange(p, dtype=x.dtype) / 2)
    terms = lgamma(x.unsqueeze(-1) + shifts)
    return terms.sum(-1) + p * (p - 1) / 4 * math.log(math.pi)


mvlgamma = multigammaln
