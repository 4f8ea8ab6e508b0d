"""Linear2 by broadcasting: sum(inputs * theta), grad * theta, and np.subtract(out=) in update."""

import numpy as np


class Linear2:
    def __init__(self, alpha: float = 0.1):
        self.theta = np.random.default_rng(0).random((1, 2))
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = inputs
        return np.sum(inputs * self.theta, axis=1, keepdims=True)

    def backward(self, grad):
        self.grad_theta = np.sum(grad * self.inputs, axis=0, keepdims=True)
        return grad * self.theta

    def update(self):
        np.subtract(self.theta, self.alpha * self.grad_theta, out=self.theta)


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": True,
}
