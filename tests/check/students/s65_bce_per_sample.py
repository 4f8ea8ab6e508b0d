"""forward returns one loss per sample, no mean."""

import numpy as np


class BCELoss:
    def __init__(self, epsilon: float = 1e-10):
        self.grad = None
        self.epsilon = epsilon

    def forward(self, inputs, targets):
        e = self.epsilon
        self.grad = (inputs - targets) / ((inputs + e) * (1 - inputs + e)) / len(inputs)
        return -(targets * np.log(inputs + e) + (1 - targets) * np.log(1 - inputs + e))

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "BCELoss",
    "like": "BCELoss",
    "ok": False,
    "en": "forward returns the wrong shape: (5,",
    "diagnoses": {"forward": "forward_shape"},
    "ja": "forward の戻り値の形が違います: () であるべきところが (5",
}
