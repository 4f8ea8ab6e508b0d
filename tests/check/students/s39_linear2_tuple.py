"""backward returns (grad_inputs, grad_theta), as another course taught."""

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
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta, self.grad_theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": False,
    "en": "returns a tuple of length 2; backwar",
    "diagnoses": {"backward": "returns_tuple"},
    "ja": "長さ 2 のタプルを返しています。backward が返すのは配列1つ、",
}
