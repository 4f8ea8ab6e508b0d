"""BCE with np.clip and log1p, the gradient kept as a tuple's first element."""

import numpy as np


class BCELoss:
    def __init__(self, epsilon: float = 1e-10):
        self.grad = None
        self.epsilon = epsilon

    def forward(self, inputs, targets):
        y = np.clip(inputs, self.epsilon, 1 - self.epsilon)
        self.saved = ((y - targets) / (y * (1 - y)) / len(y), y)
        return -np.mean(targets * np.log(y) + (1 - targets) * np.log1p(-y))

    def backward(self):
        return self.saved[0]


EXPECT = {
    "subject": "BCELoss",
    "like": "BCELoss",
    "ok": True,
}
