"""Linear2 whose forward and backward read the notebook's keyword names from **kwargs."""

import numpy as np


class Linear2:
    def __init__(self, alpha: float = 0.1):
        self.theta = np.random.default_rng(0).random((1, 2))
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, **kwargs):
        self.inputs = kwargs["inputs"]
        return self.inputs @ self.theta.T

    def backward(self, **kwargs):
        grad = kwargs["grad"]
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": True,
}
