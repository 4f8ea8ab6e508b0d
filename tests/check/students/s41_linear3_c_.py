"""Linear3 with np.c_ and its own backward that drops the ones column."""

import numpy as np


class Linear3:
    def __init__(self, alpha=1.0):
        self.theta = np.full((1, 3), 0.1)
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = np.c_[np.ones(inputs.shape[0]), inputs]
        return self.inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta[:, 1:]

    def update(self):
        self.theta = self.theta - self.alpha * self.grad_theta


EXPECT = {"subject": "Linear3", "like": "Linear3", "ok": True}
