"""The loss is a mean, its gradient forgot the / N."""

import numpy as np


class BCELoss:
    def __init__(self, epsilon: float = 1e-10):
        self.grad = None
        self.epsilon = epsilon

    def forward(self, inputs, targets):
        e = self.epsilon
        self.grad = -targets / (inputs + e) + (1 - targets) / (1 - inputs + e)
        return -np.mean(targets * np.log(inputs + e) + (1 - targets) * np.log(1 - inputs + e))

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "BCELoss",
    "like": "BCELoss",
    "ok": False,
    "en": "sum where a mean is meant: factor N",
    "diagnoses": {"backward": "sum_for_mean"},
    "ja": "平均をとるべきところで和をとっています（データ数 N = 5 倍になって",
}
