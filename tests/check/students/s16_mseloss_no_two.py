"""Forgot the 2 of the square's derivative."""

import numpy as np


class MSELoss:
    def __init__(self):
        self.grad = None

    def forward(self, inputs, targets):
        self.grad = (inputs - targets) / len(inputs)
        return np.mean((targets - inputs) ** 2)

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "MSELoss",
    "like": "MSELoss",
    "ok": False,
    "en": "off by a constant factor: factor 0.5",
    "diagnoses": {"backward": "factor"},
    "ja": "正しい値の 0.5 倍になっています（定数倍のずれ）",
}
