"""Linear3 with its own backward: a mean over the batch in grad_theta, a sum in the return."""

import numpy as np


class Linear3:
    def __init__(self, alpha: float = 0.1):
        self.theta = np.random.default_rng(0).random((1, 3))
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        n = np.shape(inputs)[0]
        self.inputs = np.concatenate([np.ones((n, 1)), inputs], axis=1)
        return self.inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = np.mean(grad * self.inputs, axis=0, keepdims=True)
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear3",
    "like": "Linear3",
    "ok": False,
    "en": "mean where a sum is meant: factor 1/",
    "diagnoses": {"grad_theta": "mean_for_sum"},
    "ja": "和をとるべきところで平均をとっています（1/N = 0.2 ",
}
