"""inputs.T @ grad: (2, 1) where theta is (1, 2)."""

import numpy as np


class Linear2:
    def __init__(self, alpha: float = 0.1):
        self.theta = np.random.default_rng(0).random((1, 2))
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = inputs
        return inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = self.inputs.T @ grad
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": False,
    "en": "transposed: received is the transpos",
    "diagnoses": {"grad_theta": "transposed"},
    "ja": "転置になっています（正しい配列の行と列が入れ替わっています）",
}
