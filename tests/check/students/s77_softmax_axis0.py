"""Normalised down the columns (axis 0) instead of along each row."""

import numpy as np


class SoftmaxWithLoss:
    def forward(self, x, t):
        self.t = t
        self.y = np.exp(x) / np.exp(x).sum(axis=0, keepdims=True)
        return -np.sum(t * np.log(self.y)) / len(x)

    def backward(self, dout=1):
        return (self.y - self.t) / len(self.t)


EXPECT = {
    "subject": "SoftmaxWithLoss",
    "like": "SoftmaxWithLoss",
    "ok": False,
    "en": "wrong values",
    "diagnoses": {"forward": "mismatch", "backward": "mismatch"},
    "ja": "値が違います",
}
