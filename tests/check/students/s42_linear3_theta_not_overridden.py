"""Linear3 forgot to widen theta: it keeps Linear2's (1, 2)."""

import numpy as np


class Linear2:
    def __init__(self, alpha: float = 0.1):
        self.theta = np.zeros((1, 2))
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


class Linear3(Linear2):
    def forward(self, inputs):
        self.inputs = np.concatenate([np.ones((len(inputs), 1)), inputs], axis=1)
        return self.inputs @ self.theta.T


EXPECT = {
    "subject": "Linear3",
    "like": "Linear3",
    "ok": False,
    "en": "wrong shape: (1, 2) where Linear3 ke",
    "diagnoses": {"theta": "param_shape"},
    "ja": "形が違います: Linear3 では (1, 3) ですが、(1, 2)",
}
