"""MultivariateNormal(loc, covariance_matrix | precision_matrix | scale_tril): a Gaussian over
vectors, held as the lower Cholesky factor L of its covariance (Sigma = L L^T), as torch holds it.
log_prob = -(k log 2 pi + |L^-1 (x - loc)|^2) / 2 - sum log diag L; every step is a chainrule op
(its Cholesky factor is the Function in functional/decompositions.py), so gradients reach loc
and the covariance."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autograd.tensor import Tensor
from ..functional.decompositions import Cholesky
from ..functional.linear_solve import inv, solve
from . import constraints
from .distribution import Distribution, standard_normal


class MultivariateNormal(Distribution):
    arg_constraints = {
        "loc": constraints.real_vector,
        "covariance_matrix": constraints.positive_definite,
        "precision_matrix": constraints.positive_definite,
        "scale_tril": constraints.lower_cholesky,
    }
    support = constraints.real_vector
    has_rsample = True

    def __init__(
        self,
        loc: Tensor,
        covariance_matrix: Tensor | None = None,
        precision_matrix: Tensor | None = None,
        scale_tril: Tensor | None = None,
        validate_args: bool | None = None,
    ) -> None:
        given = [m for m in (covariance_matrix, precision_matrix, scale_tril) if m is not None]
        if len(given) != 1:
            raise ValueError(
                "Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified."
            )
        matrix = given[0]
        if not isinstance(loc, Tensor) or loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        if matrix.dim() < 2:
            raise ValueError(
                "scale_tril, covariance_matrix or precision_matrix must be at least "
                "two-dimensional, with optional leading batch dimensions"
            )
        batch = np.broadcast_shapes(tuple(matrix.shape[:-2]), tuple(loc.shape[:-1]))
        k = loc.shape[-1]
        self.loc = loc.expand(*batch, k)
        if scale_tril is not None:
            self.scale_tril = scale_tril
        elif covariance_matrix is not None:
            self.covariance_matrix = covariance_matrix
        else:
            self.precision_matrix = precision_matrix
        super().__init__(batch, (k,), validate_args)
        if scale_tril is not None:
            self._tril = scale_tril
        elif covariance_matrix is not None:
            self._tril = Cholesky.apply(covariance_matrix)
        else:
            self._tril = Cholesky.apply(inv(precision_matrix))

    def __getattr__(self, name: str) -> Any:
        tril = self.__dict__.get("_tril")
        if tril is None:
            raise AttributeError(name)
        if name == "scale_tril":
            return tril
        if name == "covariance_matrix":
            return tril @ tril.transpose(-1, -2)
        if name == "precision_matrix":
            return inv(tril @ tril.transpose(-1, -2))
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        return self._tril.pow(2).sum(-1).expand(*self._batch_shape, *self._event_shape)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        eps = standard_normal(self._extended_shape(sample_shape), self.loc.dtype)
        return self.loc + (self._tril @ eps.unsqueeze(-1)).squeeze(-1)

    def _half_log_det(self) -> Tensor:
        return self._tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        diff = (value - self.loc).unsqueeze(-1)
        shape = np.broadcast_shapes(tuple(diff.shape[:-2]), tuple(self._tril.shape[:-2]))
        k = self._event_shape[0]
        tril = self._tril.expand(*shape, k, k)
        whitened = solve(tril, diff.expand(*shape, k, 1)).squeeze(-1)
        mahalanobis = whitened.pow(2).sum(-1)
        return -0.5 * (k * math.log(2 * math.pi) + mahalanobis) - self._half_log_det()

    def entropy(self) -> Tensor:
        k = self._event_shape[0]
        entropy = 0.5 * k * (1.0 + math.log(2 * math.pi)) + self._half_log_det()
        return entropy.expand(*self._batch_shape) if self._batch_shape else entropy


__all__ = ["MultivariateNormal"]
