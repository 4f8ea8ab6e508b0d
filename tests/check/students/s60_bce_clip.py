"""BCE clipping the probabilities instead of adding epsilon."""

import numpy as np


class BCELoss:
    def __init__(self, epsilon: float = 1e-10):
        self.grad = None
        self.epsilon = epsilon

    def forward(self, inputs, targets):
        p = np.clip(inputs, 1e-12, 1 - 1e-12)
        self.grad = (-targets / p + (1 - targets) / (1 - p)) / len(p)
        return float(-np.mean(targets * np.log(p) + (1 - targets) * np.log(1 - p)))

    def backward(self):
        return self.grad


EXPECT = {"subject": "BCELoss", "like": "BCELoss", "ok": True}
