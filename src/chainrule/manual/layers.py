"""The notebook's layers: Linear (its Linear2 and Linear3), Sigmoid, MSELoss and BCELoss."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import nn
from ..random import SeedLike
from .adapter import Layer, Loss


class Linear(Layer):
    """y = inputs @ theta.T, with ``theta`` of shape (out_features, in_features [+ 1]).

    ``bias=False`` is the notebook's Linear2: X already holds a column of ones, so theta = [[b, a]].
    ``bias=True`` is its Linear3: the layer keeps the bias and theta reads [[c, a, b]],
    bias first. ``grad_theta`` is dL/dtheta in the same layout.
    """

    def __init__(self, in_features: int, out_features: int = 1, bias: bool = False,
                 alpha: float = 0.1, theta: Any = None, dtype: Any = None,
                 generator: SeedLike = None) -> None:
        super().__init__(nn.Linear(in_features, out_features, bias=bias, dtype=dtype,
                                   generator=generator), alpha)
        if theta is not None:
            self.theta = theta

    @property
    def theta(self) -> np.ndarray:
        weight = self.module.weight.data
        if self.module.bias is None:
            return weight
        return np.concatenate([self.module.bias.data[:, None], weight], axis=1)

    @theta.setter
    def theta(self, value: Any) -> None:
        value = np.asarray(value, dtype=self.module.weight.dtype)
        expected = self.theta.shape
        if value.shape != expected:
            raise ValueError(f"manual.Linear: expected theta of shape {expected}, got {value.shape}.")
        if self.module.bias is None:
            self.module.weight.data[...] = value
        else:
            self.module.bias.data[...] = value[:, 0]
            self.module.weight.data[...] = value[:, 1:]

    @property
    def grad_theta(self) -> np.ndarray | None:
        """The notebook's grad_theta = grad.T @ inputs (with the ones column when bias=True)."""
        weight = self.module.weight
        if weight.grad is None:
            return None
        if self.module.bias is None:
            return weight.grad
        return np.concatenate([self.module.bias.grad[:, None], weight.grad], axis=1)


class Sigmoid(Layer):
    """The notebook's Sigmoid layer; no parameters, so update() does nothing."""

    def __init__(self) -> None:
        super().__init__(nn.Sigmoid())


class MSELoss(Loss):
    """The notebook's MSELoss: backward() returns 2 (p - t) / N."""

    def __init__(self) -> None:
        super().__init__(nn.MSELoss())


class BCELoss(Loss):
    """The notebook's BCELoss(epsilon): log(p + eps) and log(1 - p + eps) keep 0 and 1 finite."""

    def __init__(self, epsilon: float = 1e-10) -> None:
        super().__init__(nn.BCELoss(epsilon=epsilon))
        self.epsilon = epsilon
