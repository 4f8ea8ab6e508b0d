"""Linear3 builds the ones column but multiplies the inputs without it."""

import numpy as np


class Linear3:
    def __init__(self, alpha=1.0):
        self.theta = np.full((1, 3), 0.1)
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = np.c_[np.ones(len(inputs)), inputs]
        return inputs @ self.theta[:, 1:].T

    def backward(self, grad):
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear3",
    "like": "Linear3",
    "ok": False,
    "en": "wrong values",
    "diagnoses": {"forward": "mismatch"},
    "ja": "値が違います",
}
