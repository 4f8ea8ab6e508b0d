"""Reads self.eps where __init__ set self.epsilon."""

import numpy as np


class BCELoss:
    def __init__(self, epsilon: float = 1e-10):
        self.grad = None
        self.epsilon = epsilon

    def forward(self, inputs, targets):
        self.grad = (
            (inputs - targets) / ((inputs + self.eps) * (1 - inputs + self.eps)) / len(inputs)
        )
        e = self.epsilon
        return -np.mean(targets * np.log(inputs + e) + (1 - targets) * np.log(1 - inputs + e))

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "BCELoss",
    "like": "BCELoss",
    "ok": False,
    "en": "raised AttributeError: 'BCELoss' obj",
    "diagnoses": {"forward": "raised"},
    "ja": "実行中にエラーが発生しました: AttributeError: 'BCE",
}
