"""grad_theta as a sum over rows of grad * inputs, keepdims."""

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
        self.grad_theta = np.sum(grad * self.inputs, axis=0, keepdims=True)
        return grad * self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {"subject": "Linear2", "like": "Linear2", "ok": True}
