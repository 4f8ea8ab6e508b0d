"""theta drawn from NumPy's global generator, as the notebook itself does."""

import numpy as np


class Linear2:
    def __init__(self, alpha: float = 0.1):
        self.theta = np.random.random([1, 2])
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = inputs
        return inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": False,
    "en": "draws from NumPy's global generator",
    "diagnoses": {"__init__": "global_rng"},
    "ja": "NumPy のグローバルな乱数生成器（np.random.random",
}
