"""MSELoss whose gradient divides by N twice: np.mean over (y - t), then / N again."""

import numpy as np


class MSELoss:
    def __init__(self):
        self.grad = None

    def forward(self, inputs, targets):
        n = len(inputs)
        self.grad = 2 * (inputs - targets) / n / n
        return np.mean((inputs - targets) ** 2)

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "MSELoss",
    "like": "MSELoss",
    "ok": False,
    "en": "divided by N twice: factor 1/N = 0.2",
    "diagnoses": {"backward": "mean_twice"},
    "ja": "N で 2 回割っています（正しい平均の 1/N = 0.2",
}
