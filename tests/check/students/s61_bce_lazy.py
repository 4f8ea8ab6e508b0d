"""BCE keeping the inputs and computing the gradient in backward."""

import numpy as np


class BCELoss:
    def __init__(self, epsilon: float = 1e-10):
        self.grad = None
        self.epsilon = epsilon

    def forward(self, inputs, targets):
        self.p, self.t, e = inputs, targets, self.epsilon
        return -np.mean(targets * np.log(inputs + e) + (1 - targets) * np.log(1 - inputs + e))

    def backward(self):
        p, t = self.p, self.t
        return (p - t) / (p * (1 - p) + self.epsilon) / len(p)


EXPECT = {"subject": "BCELoss", "like": "BCELoss", "ok": True}
