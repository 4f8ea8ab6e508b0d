"""backward returns the gradient of theta instead of that of the inputs."""

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
        return self.grad_theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": False,
    "en": "returns grad_theta, the gradient for",
    "diagnoses": {"backward": "returns_param_grad"},
    "ja": "パラメータの勾配 grad_theta を返しています。返すのは入力につ",
}
