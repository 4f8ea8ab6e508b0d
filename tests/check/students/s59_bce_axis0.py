"""BCE with the mean over axis 0: a (1,) array, the same number."""

import numpy as np


class BCELoss:
    def __init__(self, epsilon: float = 1e-10):
        self.grad = None
        self.epsilon = epsilon

    def forward(self, inputs, targets):
        e = self.epsilon
        self.grad = (inputs - targets) / ((inputs + e) * (1 - inputs + e)) / len(inputs)
        return -np.mean(
            targets * np.log(inputs + e) + (1 - targets) * np.log(1 - inputs + e), axis=0
        )

    def backward(self):
        return self.grad


EXPECT = {"subject": "BCELoss", "like": "BCELoss", "ok": True}
