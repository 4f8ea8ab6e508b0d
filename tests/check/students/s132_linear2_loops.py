"""theta started from a Python list, forward and backward by explicit loops over the rows."""

import numpy as np


class Linear2:
    def __init__(self, alpha: float = 0.1):
        self.theta = np.array([[0.3, 0.7]])
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = inputs
        rows = [[float(self.theta[0] @ row)] for row in inputs]
        return np.array(rows)

    def backward(self, grad):
        total = np.zeros((1, 2))
        for g, row in zip(grad, self.inputs):
            total += g[0] * row
        self.grad_theta = total
        return np.array([g[0] * self.theta[0] for g in grad])

    def update(self):
        self.theta = self.theta - self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": True,
}
