"""Input gradient written as theta.T @ grad.T: the (2, N) transpose of dL/d(inputs)."""

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
        return self.theta.T @ grad.T


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": False,
    "en": "transposed: received is the transpos",
    "diagnoses": {"backward": "transposed"},
    "ja": "転置になっています（正しい配列の行と列が入れ替わっています）",
}
