"""torch.nn's RMSNorm and LocalResponseNorm (EmbeddingBag is in embedding.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..device import check_device
from ..dtypes import resolve_float
from ..functional.norm_more import local_response_norm, rms_norm
from .module import Module
from .parameter import Parameter


class RMSNorm(Module):
    """y = x / sqrt(mean(x^2) + eps) * weight over the last dims (no centring, unlike LayerNorm).

    eps=None means the input dtype's machine epsilon; weight starts at ones.
    """

    def __init__(
        self,
        normalized_shape: Any,
        eps: float | None = None,
        elementwise_affine: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        check_device(device, type(self).__name__)
        super().__init__()
        if isinstance(normalized_shape, (int, np.integer)):
            normalized_shape = (int(normalized_shape),)
        self.normalized_shape = tuple(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        dtype = resolve_float(dtype, "RMSNorm")
        self.weight = (
            Parameter(np.ones(self.normalized_shape, dtype=dtype)) if elementwise_affine else None
        )

    def reset_parameters(self) -> None:
        if self.weight is not None:
            self.weight.data[...] = 1

    def forward(self, x: Any) -> Any:
        return rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )


class LocalResponseNorm(Module):
    """Divide each channel by (k + alpha/size * sum of squares of its ``size`` neighbours)^beta."""

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, x: Any) -> Any:
        return local_response_norm(x, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
