"""The gradient flattened to (N,), where the predictions are (N, 1)."""

import numpy as np


class MSELoss:
    def __init__(self):
        self.grad = None

    def forward(self, inputs, targets):
        self.grad = (2 * (inputs - targets) / len(inputs)).ravel()
        return np.mean((targets - inputs) ** 2)

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "MSELoss",
    "like": "MSELoss",
    "ok": False,
    "en": "wrong shape: (5,) where (5, 1) is me",
    "diagnoses": {"backward": "wrong_shape"},
    "ja": "形が違います: (5, 1) であるべきところが (5,) になっていま",
}
