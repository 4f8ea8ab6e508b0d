"""forward rounds to integers with astype(int)."""

import numpy as np


class Linear2:
    def __init__(self, alpha: float = 0.1):
        self.theta = np.random.default_rng(0).random((1, 2))
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = inputs
        return (inputs @ self.theta.T).astype(int)

    def backward(self, grad):
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": False,
    "en": "returns whole numbers where fraction",
    "diagnoses": {"forward": "integer_result"},
    "ja": "小数になるべき値が整数に切り捨てられています",
}
