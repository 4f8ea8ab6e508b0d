"""The gradient divided by N with //: every element floored."""

import numpy as np


class MSELoss:
    def __init__(self):
        self.grad = None

    def forward(self, inputs, targets):
        self.grad = 2 * (inputs - targets) // len(inputs)
        return np.mean((targets - inputs) ** 2)

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "MSELoss",
    "like": "MSELoss",
    "ok": False,
    "en": "returns whole numbers where fraction",
    "diagnoses": {"backward": "integer_result"},
    "ja": "小数になるべき値が整数に切り捨てられています",
}
