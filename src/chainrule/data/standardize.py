"""Feature standardization fitted on the training split only, so no test information leaks."""

from __future__ import annotations

from typing import Any

import numpy as np


class Standardizer:
    """z = (x - mean) / std per feature; constant features keep std 1 (no division by 0)."""

    def __init__(self, mean: np.ndarray | None = None, std: np.ndarray | None = None) -> None:
        self.mean, self.std = mean, std

    def fit(self, X: np.ndarray) -> Standardizer:
        self.mean = X.mean(axis=0)
        std = X.std(axis=0)
        self.std = np.where(std > 0, std, 1.0)
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        if self.mean is None:
            raise RuntimeError(
                "Standardizer.transform: expected fit() to have run first, got no statistics."
            )
        return ((X - self.mean) / self.std).astype(X.dtype, copy=False)

    def state_dict(self) -> dict[str, Any]:
        return {"mean": self.mean, "std": self.std}
