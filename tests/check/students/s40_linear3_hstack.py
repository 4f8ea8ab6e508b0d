"""Linear3 with np.hstack and super().__init__(alpha=...)."""

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
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.theta = np.random.default_rng(7).uniform(-1, 1, size=(1, 3))

    def forward(self, inputs):
        self.inputs = np.hstack([np.ones((len(inputs), 1)), inputs])
        return self.inputs @ self.theta.T


EXPECT = {"subject": "Linear3", "like": "Linear3", "ok": True}
