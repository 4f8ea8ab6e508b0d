"""torch.nn.utils.parametrizations: weight_norm and spectral_norm as parametrizations, with
torch's state_dict keys (``parametrizations.weight.original0`` / ``original1``; ``original``
and ``0._u``, ``0._v`` for spectral norm)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...cpugraph.capture import record_call
from ...random import as_generator
from ..module import Module
from .parametrize import register_parametrization
from .weight_norm import _weight_norm, as_matrix, norm_except_dim, normalize_array


class _WeightNorm(Module):
    """weight = g v / ||v||; right_inverse splits a weight into (g, v)."""

    def __init__(self, dim: int | None = 0) -> None:
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g: Any, weight_v: Any) -> Any:
        return _weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight: Any) -> tuple[Any, Any]:
        return norm_except_dim(weight, 2, self.dim), weight


def weight_norm(module: Module, name: str = "weight", dim: int | None = 0) -> Module:
    """Reparametrize ``module.<name>`` as magnitude g (original0) times direction v / ||v||
    (original1), the norm over every axis but ``dim``."""
    return register_parametrization(module, name, _WeightNorm(dim), unsafe=True)


def _power_method(matrix: np.ndarray, u: np.ndarray, v: np.ndarray, steps: int, eps: float):
    """torch's order for the parametrization: u from v first, then v from u, in place."""
    for _ in range(steps):
        u[...] = normalize_array(matrix @ v, eps)
        v[...] = normalize_array(matrix.T @ u, eps)


class _SpectralNorm(Module):
    """weight / sigma, sigma its largest singular value by power iteration (one step per
    training forward, on the buffers _u and _v); a vector is simply normalized."""

    def __init__(
        self,
        weight: Any,
        n_power_iterations: int = 1,
        dim: int = 0,
        eps: float = 1e-12,
        generator: Any = None,
    ) -> None:
        super().__init__()
        ndim = weight.ndim
        self.dim = dim % ndim if ndim else 0
        self.eps, self.n_power_iterations = eps, n_power_iterations
        if ndim > 1:
            matrix = as_matrix(weight.detach()._data, self.dim)
            rng = as_generator(generator)
            u = normalize_array(rng.standard_normal(matrix.shape[0]).astype(matrix.dtype), eps)
            v = normalize_array(rng.standard_normal(matrix.shape[1]).astype(matrix.dtype), eps)
            self.register_buffer("_u", u)
            self.register_buffer("_v", v)
            _power_method(matrix, u, v, 15, eps)

    def forward(self, weight: Any) -> Any:
        if weight.ndim == 1:
            return weight / weight.norm().clamp(min=self.eps)
        if self.training:  # recorded, so that CPUGraph replays iterate as eager steps do
            matrix = as_matrix(weight._data, self.dim)
            steps = self.n_power_iterations
            record_call(_power_method, matrix, self._u._data, self._v._data, steps, self.eps)
        matrix = weight.movedim(self.dim, 0).reshape(weight.shape[self.dim], -1)
        sigma = (self._u.clone() * (matrix @ self._v.clone())).sum()
        return weight / sigma

    def right_inverse(self, value: Any) -> Any:
        return value


def spectral_norm(
    module: Module,
    name: str = "weight",
    n_power_iterations: int = 1,
    eps: float = 1e-12,
    dim: int | None = None,
    generator: Any = None,
) -> Module:
    """Divide ``module.<name>`` by its spectral norm at each access (dim 1 for ConvTranspose)."""
    weight = getattr(module, name)
    if dim is None:
        dim = 1 if type(module).__name__.startswith("ConvTranspose") else 0
    parametrization = _SpectralNorm(weight, n_power_iterations, dim, eps, generator)
    return register_parametrization(module, name, parametrization)


from .orthogonal import orthogonal  # noqa: E402, F401
