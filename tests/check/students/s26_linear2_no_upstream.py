"""grad_theta without the upstream gradient."""

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
        self.grad_theta = np.sum(self.inputs, axis=0, keepdims=True)
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": False,
    "en": "ignores the upstream gradient: right",
    "diagnoses": {"grad_theta": "upstream_ignored"},
    "ja": "上流から来た勾配 grad を掛けていません（grad がすべて 1 の",
}
