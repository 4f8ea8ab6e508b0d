"""MSELoss returning the mean of every loss it has seen, for a smoother curve."""

import numpy as np


class MSELoss:
    def __init__(self):
        self.history = []

    def forward(self, inputs, targets):
        self.history.append(np.mean((inputs - targets) ** 2))
        self.grad = 2 * (inputs - targets) / len(inputs)
        return np.mean(self.history)

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "MSELoss",
    "like": "MSELoss",
    "ok": False,
    "en": "returns other values when called twi",
    "diagnoses": {"forward": "forward_remembers"},
    "ja": "同じ入力で 2 回呼ぶと違う値を返します。前の呼び出しの結果（self",
}
