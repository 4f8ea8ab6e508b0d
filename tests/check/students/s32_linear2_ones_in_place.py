"""forward writes the column of ones into the caller's array."""

import numpy as np


class Linear2:
    def __init__(self, alpha: float = 0.1):
        self.theta = np.random.default_rng(0).random((1, 2))
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        inputs[:, 0] = 1.0
        self.inputs = inputs
        return inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": False,
    "en": "forward overwrites its inputs: the c",
    "diagnoses": {"inputs": "overwrites_inputs", "forward": "mismatch", "grad_theta": "mismatch"},
    "ja": "forward が受け取った inputs を書き換えています（呼び出し",
}
