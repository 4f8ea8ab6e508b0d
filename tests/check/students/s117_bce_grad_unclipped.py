"""epsilon in the logs of forward, none in the gradient: inf where a prediction is 0 or 1."""

import numpy as np


class BCELoss:
    def __init__(self, epsilon: float = 1e-10):
        self.grad = None
        self.epsilon = epsilon

    def forward(self, inputs, targets):
        e = self.epsilon
        self.grad = (inputs - targets) / (inputs * (1 - inputs)) / len(inputs)
        return -np.mean(targets * np.log(inputs + e) + (1 - targets) * np.log(1 - inputs + e))

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "BCELoss",
    "like": "BCELoss",
    "ok": False,
    "en": "gives inf or NaN when a prediction i",
    "diagnoses": {"backward": "saturated_bce"},
    "ja": "予測がちょうど 0 か 1 のとき（シグモイドが飽和したとき",
}
