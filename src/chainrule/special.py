"""``torch.special``: torch's names for special functions, each the chainrule op that computes it
(sigmoid for expit, log1p, expm1, softmax, ...) or, where the core has none, a Function in
functional/special_math.py."""

from __future__ import annotations

from typing import Any

from .functional import special_math as _m
from .functional.elementwise_math import erf, erfc, expm1
from .functional.indexing import logsumexp
from .functional.binary_math import xlogy
from .functional.sorting import _tensor
from .functional.special_functions import digamma, erfinv
from .functional.special_functions import lgamma as gammaln
from .functional.unary_math import logit, sinc
from .method_functions import log1p
from .nn import functional as _F
from .functional.special_api import (
    bessel_j0,
    bessel_j1,
    erfcx,
    i0,
    i0e,
    i1,
    i1e,
    multigammaln,
    ndtri,
    polygamma,
    spherical_bessel_j0,
    zeta,
)

__all__ = [
    "bessel_j0",
    "bessel_j1",
    "erfcx",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "multigammaln",
    "ndtri",
    "polygamma",
    "spherical_bessel_j0",
    "zeta",
    "digamma",
    "entr",
    "erf",
    "erfc",
    "erfinv",
    "expit",
    "expm1",
    "gammaln",
    "log1p",
    "log_ndtr",
    "log_softmax",
    "logit",
    "logsumexp",
    "ndtr",
    "psi",
    "sinc",
    "softmax",
    "xlogy",
]


def expit(input: Any) -> Any:  # noqa: A002
    """1 / (1 + exp(-x)), the logistic sigmoid."""
    return _tensor(input).sigmoid()


def ndtr(input: Any) -> Any:  # noqa: A002
    """The standard normal CDF."""
    return _m.Ndtr.apply(_tensor(input))


def log_ndtr(input: Any) -> Any:  # noqa: A002
    """log of the standard normal CDF, finite far into the left tail (log_ndtr(-40) = -804.6)."""
    return _m.LogNdtr.apply(_tensor(input))


psi = digamma  # one implementation each, shared with torch.erfinv, torch.lgamma, ...


def entr(input: Any) -> Any:  # noqa: A002
    """-x log x elementwise (0 at 0, -inf for x < 0)."""
    return _m.Entr.apply(_tensor(input))


def softmax(input: Any, dim: int, *, dtype: Any = None) -> Any:  # noqa: A002
    return _F.softmax(_tensor(input), dim=dim, dtype=dtype)


def log_softmax(input: Any, dim: int, *, dtype: Any = None) -> Any:  # noqa: A002
    return _F.log_softmax(_tensor(input), dim=dim, dtype=dtype)
