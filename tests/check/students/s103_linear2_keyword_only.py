"""Keyword-only arguments, since the notebook always calls forward(inputs=X)."""

import numpy as np


class Linear2:
    def __init__(self, alpha: float = 0.1):
        self.theta = np.array([[0.2, 0.5]])
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, *, inputs: np.ndarray) -> np.ndarray:
        self.inputs = inputs
        return inputs @ self.theta.T

    def backward(self, *, grad: np.ndarray) -> np.ndarray:
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {"subject": "Linear2", "like": "Linear2", "ok": True}
