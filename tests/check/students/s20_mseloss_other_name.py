"""forward stores self.gradient; backward returns self.grad, never set."""

import numpy as np


class MSELoss:
    def __init__(self):
        self.grad = None

    def forward(self, inputs, targets):
        self.gradient = 2 * (inputs - targets) / len(inputs)
        return np.mean((targets - inputs) ** 2)

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "MSELoss",
    "like": "MSELoss",
    "ok": False,
    "en": "not written yet",
    "diagnoses": {"backward": "not_written"},
    "ja": "まだ書かれていません",
}
