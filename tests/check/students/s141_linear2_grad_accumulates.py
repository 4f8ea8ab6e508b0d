"""grad_theta added to what the previous backward stored: nothing resets it between steps."""

import numpy as np


class Linear2:
    def __init__(self, alpha: float = 0.1):
        self.theta = np.random.default_rng(0).random((1, 2))
        self.inputs = None
        self.grad_theta = np.zeros((1, 2))
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = inputs
        return inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = self.grad_theta + grad.T @ self.inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": False,
    "en": "returns other values when called twi",
    "diagnoses": {"grad_theta": "backward_remembers"},
    "ja": "同じ forward のあと同じ grad で 2 回呼ぶと",
}
