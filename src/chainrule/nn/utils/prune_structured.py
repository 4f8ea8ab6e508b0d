"""torch.nn.utils.prune's structured methods: whole channels along one dim pruned at once
(a conv's output filters with dim=0), ranked by their norm or drawn at random."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...autograd.tensor import Tensor
from ...random import default_generator
from .prune import BasePruningMethod, _keep_dims_slice, _pruned_count


class _Structured(BasePruningMethod):
    PRUNING_TYPE = "structured"

    def __init__(self, amount: Any, dim: int = -1) -> None:
        _pruned_count(type(self).__name__, amount, 2**62)
        self.amount, self.dim = amount, dim

    def compute_mask(self, t: Any, default_mask: Any) -> Any:
        who = type(self).__name__
        if t.ndim <= 1:
            raise ValueError(
                f"{who}: expected a tensor of 2 or more dims (structured pruning removes whole "
                f"channels), got {t.ndim}.\nHint: use an unstructured method for 1-d tensors."
            )
        size = t.shape[self.dim]
        count = _pruned_count(who, self.amount, size)
        if count == 0:
            return default_mask
        keep = np.argsort(-self._channel_scores(t._data), kind="stable")[: size - count]
        mask = np.zeros(t.shape, t._data.dtype)
        mask[_keep_dims_slice(t.ndim, self.dim % t.ndim, np.sort(keep))] = 1
        return Tensor._wrap(mask * default_mask._data.astype(mask.dtype))


class LnStructured(_Structured):
    """Prunes the ``amount`` channels along ``dim`` of smallest L``n`` norm."""

    def __init__(self, amount: Any, n: Any, dim: int = -1) -> None:
        super().__init__(amount, dim)
        self.n = n

    def _channel_scores(self, t: np.ndarray) -> np.ndarray:
        dim = self.dim % t.ndim
        rows = np.moveaxis(t, dim, 0).reshape(t.shape[dim], -1)
        if self.n in ("fro", 2):
            return np.sqrt((rows * rows).sum(1))
        return np.linalg.norm(rows, ord=self.n, axis=1)

    @classmethod
    def apply(  # type: ignore[override]
        cls, module: Any, name: str, amount: Any, n: Any, dim: int, importance_scores: Any = None
    ) -> Any:
        return super().apply(
            module, name, amount=amount, n=n, dim=dim, importance_scores=importance_scores
        )


class RandomStructured(_Structured):
    """Prunes ``amount`` channels along ``dim`` drawn at random."""

    def _channel_scores(self, t: np.ndarray) -> np.ndarray:
        return default_generator().random(t.shape[self.dim % t.ndim])

    @classmethod
    def apply(cls, module: Any, name: str, amount: Any, dim: int = -1) -> Any:  # type: ignore[override]
        return super().apply(module, name, amount=amount, dim=dim)
