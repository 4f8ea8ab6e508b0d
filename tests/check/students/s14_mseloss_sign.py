"""d/dp (t - p)^2 written without the chain rule's minus."""

import numpy as np


class MSELoss:
    def __init__(self):
        self.grad = None

    def forward(self, inputs, targets):
        self.grad = 2 * (targets - inputs) / len(inputs)
        return np.mean((targets - inputs) ** 2)

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "MSELoss",
    "like": "MSELoss",
    "ok": False,
    "en": "sign flipped (received = -1 x expect",
    "diagnoses": {"backward": "sign"},
    "ja": "符号が逆になっています（正しい値の -1 倍）",
}
