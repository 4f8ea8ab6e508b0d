"""Summed over the wrong axis: one number per row."""

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
        self.grad_theta = np.sum(grad * self.inputs, axis=1)
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": False,
    "en": "wrong shape: (5,) where (1, 2) is me",
    "diagnoses": {"grad_theta": "wrong_shape"},
    "ja": "形が違います: (1, 2) であるべきところが (5,) になっていま",
}
