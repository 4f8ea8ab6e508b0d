"""grad_theta with its sign flipped and update() adding it: trains, but the gradient is wrong."""

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
        self.grad_theta = -(grad.T @ self.inputs)
        return grad @ self.theta

    def update(self):
        self.theta += self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": False,
    "en": "sign flipped (received = -1 x expect",
    "diagnoses": {"grad_theta": "sign", "update": "update_uphill"},
    "ja": "符号が逆になっています（正しい値の -1 倍）",
}
