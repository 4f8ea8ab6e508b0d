"""LowRankMultivariateNormal(loc, cov_factor W, cov_diag D): covariance W W^T + diag(D), the
k x k matrix never formed. Through the m x m capacitance C = I + W^T D^-1 W (Woodbury),
log det = log det C + sum log D and the Mahalanobis term is x^T D^-1 x - |L_C^-1 W^T D^-1 x|^2."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autograd.tensor import Size, Tensor
from ..functional.decompositions import Cholesky
from ..functional.linear_solve import solve
from . import constraints
from .distribution import Distribution, standard_normal


def _eye(n: int, like: Tensor) -> Tensor:
    return Tensor._wrap(np.eye(n, dtype=like.dtype))


class LowRankMultivariateNormal(Distribution):
    arg_constraints = {
        "loc": constraints.real_vector,
        "cov_factor": constraints.independent(constraints.real, 2),
        "cov_diag": constraints.independent(constraints.positive, 1),
    }
    support = constraints.real_vector
    has_rsample = True

    def __init__(
        self,
        loc: Tensor,
        cov_factor: Tensor,
        cov_diag: Tensor,
        validate_args: bool | None = None,
    ) -> None:
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        k = loc.shape[-1]
        if cov_factor.dim() < 2:
            raise ValueError(
                "cov_factor must be at least two-dimensional, "
                "with optional leading batch dimensions"
            )
        if cov_factor.shape[-2] != k:
            raise ValueError(f"cov_factor must be a batch of matrices with shape {k} x m")
        if tuple(cov_diag.shape[-1:]) != (k,):
            raise ValueError(f"cov_diag must be a batch of vectors with shape {(k,)}")
        m = cov_factor.shape[-1]
        try:
            batch = np.broadcast_shapes(
                tuple(loc.shape[:-1]), tuple(cov_factor.shape[:-2]), tuple(cov_diag.shape[:-1])
            )
        except ValueError:
            raise ValueError(
                f"Incompatible batch shapes: loc {loc.shape}, cov_factor {cov_factor.shape}, "
                f"cov_diag {cov_diag.shape}"
            ) from None
        self.loc = loc.expand(*batch, k)
        self.cov_factor = cov_factor.expand(*batch, k, m)
        self.cov_diag = cov_diag.expand(*batch, k)
        super().__init__(Size(batch), (k,), validate_args)
        self._capacitance_tril = self._capacitance()

    def _capacitance(self) -> Tensor:
        w, d = self.cov_factor, self.cov_diag
        wt_dinv = w.transpose(-1, -2) / d.unsqueeze(-2)
        return Cholesky.apply(_eye(w.shape[-1], w) + wt_dinv @ w)

    def expand(self, batch_shape: Any, _instance: Any = None) -> LowRankMultivariateNormal:
        new = super().expand(batch_shape, _instance)
        m = self.cov_factor.shape[-1]
        new._capacitance_tril = self._capacitance_tril.expand(*batch_shape, m, m)
        return new

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        return self.cov_factor.pow(2).sum(-1) + self.cov_diag

    @property
    def covariance_matrix(self) -> Tensor:
        w = self.cov_factor
        return w @ w.transpose(-1, -2) + self.cov_diag.unsqueeze(-1) * _eye(w.shape[-2], w)

    @property
    def scale_tril(self) -> Tensor:
        return Cholesky.apply(self.covariance_matrix)

    @property
    def precision_matrix(self) -> Tensor:
        w, d = self.cov_factor, self.cov_diag
        a = solve(self._capacitance_tril, w.transpose(-1, -2) / d.unsqueeze(-2))
        return d.reciprocal().unsqueeze(-1) * _eye(w.shape[-2], w) - a.transpose(-1, -2) @ a

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        eps_w = standard_normal(shape[:-1] + (self.cov_factor.shape[-1],), self.loc.dtype)
        eps_d = standard_normal(shape, self.loc.dtype)
        low_rank = (self.cov_factor @ eps_w.unsqueeze(-1)).squeeze(-1)
        return self.loc + low_rank + self.cov_diag.sqrt() * eps_d

    def _log_det(self) -> Tensor:
        tril = self._capacitance_tril
        return 2 * tril.diagonal(dim1=-2, dim2=-1).log().sum(-1) + self.cov_diag.log().sum(-1)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        diff = value - self.loc
        w, d, tril = self.cov_factor, self.cov_diag, self._capacitance_tril
        whitened_d = diff / d
        projected = (w.transpose(-1, -2) @ whitened_d.unsqueeze(-1)).squeeze(-1)
        # solve does not broadcast batch dims: its inverse factor, applied by matmul, does
        tril_inv = solve(tril, _eye(tril.shape[-1], tril).expand(*tril.shape))
        inner = (tril_inv @ projected.unsqueeze(-1)).squeeze(-1)
        mahalanobis = (diff * whitened_d).sum(-1) - inner.pow(2).sum(-1)
        k = self._event_shape[0]
        return -0.5 * (k * math.log(2 * math.pi) + self._log_det() + mahalanobis)

    def entropy(self) -> Tensor:
        k = self._event_shape[0]
        return 0.5 * (k * (1.0 + math.log(2 * math.pi)) + self._log_det())


__all__ = ["LowRankMultivariateNormal"]
