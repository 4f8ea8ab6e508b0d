"""The loss divides by N, its gradient does not."""

import numpy as np


class SoftmaxWithLoss:
    def forward(self, x, t):
        self.t = t
        z = x - x.max(axis=1, keepdims=True)
        self.y = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        return -np.sum(t * np.log(self.y + 1e-12)) / len(x)

    def backward(self, dout=1):
        return self.y - self.t


EXPECT = {
    "subject": "SoftmaxWithLoss",
    "like": "SoftmaxWithLoss",
    "ok": False,
    "en": "sum where a mean is meant: factor N",
    "diagnoses": {"backward": "sum_for_mean"},
    "ja": "平均をとるべきところで和をとっています（データ数 N = 5 倍になって",
}
