"""The gradient's sign flipped: (t - p) / (p (1 - p))."""

import numpy as np


class BCELoss:
    def __init__(self, epsilon: float = 1e-10):
        self.grad = None
        self.epsilon = epsilon

    def forward(self, inputs, targets):
        e = self.epsilon
        self.grad = (targets - inputs) / ((inputs + e) * (1 - inputs + e)) / len(inputs)
        return -np.mean(targets * np.log(inputs + e) + (1 - targets) * np.log(1 - inputs + e))

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "BCELoss",
    "like": "BCELoss",
    "ok": False,
    "en": "sign flipped (received = -1 x expect",
    "diagnoses": {"backward": "sign"},
    "ja": "符号が逆になっています（正しい値の -1 倍）",
}
