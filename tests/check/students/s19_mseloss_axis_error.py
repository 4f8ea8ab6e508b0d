"""mean over axis 2 of a 2-d array: forward raises."""

import numpy as np


class MSELoss:
    def __init__(self):
        self.grad = None

    def forward(self, inputs, targets):
        self.grad = 2 * (inputs - targets) / len(inputs)
        return np.mean((targets - inputs) ** 2, axis=2)

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "MSELoss",
    "like": "MSELoss",
    "ok": False,
    "en": "raised AxisError: axis 2 is out of b",
    "diagnoses": {"forward": "raised"},
    "ja": "実行中にエラーが発生しました: AxisError: axis 2 is",
}
