"""Keeps the inputs of the first call only: later gradients use old inputs."""

import numpy as np


class Linear2:
    def __init__(self, alpha=0.1):
        self.theta = np.array([[0.4, -0.7]])
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        if self.inputs is None:
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
    "en": "returns what an earlier call compute",
    "diagnoses": {"grad_theta": "stale_value"},
    "ja": "今回の入力からではなく、前の呼び出しで計算した値を返しています（最初の呼",
}
