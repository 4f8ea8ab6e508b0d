"""The gradient computed on the first call only: later calls hand back a stale one."""

import numpy as np


class MSELoss:
    def __init__(self):
        self.grad = None

    def forward(self, inputs, targets):
        if self.grad is None:
            self.grad = 2 * (inputs - targets) / len(inputs)
        return np.mean((targets - inputs) ** 2)

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "MSELoss",
    "like": "MSELoss",
    "ok": False,
    "en": "returns what an earlier call compute",
    "diagnoses": {"backward": "stale_value"},
    "ja": "今回の入力からではなく、前の呼び出しで計算した値を返しています（最初の呼",
}
