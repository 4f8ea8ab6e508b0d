"""The gradient of the sum, not of the mean."""

import numpy as np


class MSELoss:
    def __init__(self):
        self.grad = None

    def forward(self, inputs, targets):
        self.grad = -2 * (targets - inputs)
        return np.mean((targets - inputs) ** 2)

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "MSELoss",
    "like": "MSELoss",
    "ok": False,
    "en": "sum where a mean is meant: factor N",
    "diagnoses": {"backward": "sum_for_mean"},
    "ja": "平均をとるべきところで和をとっています（データ数 N = 5 倍になって",
}
