"""Computes the output once and hands it back on every later call."""

import numpy as np


class Sigmoid:
    def __init__(self):
        self.output = None

    def forward(self, inputs):
        if self.output is None:
            self.output = 1 / (1 + np.exp(-inputs))
        return self.output

    def backward(self, grad):
        return grad * self.output * (1 - self.output)


EXPECT = {
    "subject": "Sigmoid",
    "like": "Sigmoid",
    "ok": False,
    "en": "returns what an earlier call compute",
    "diagnoses": {"forward": "stale_value", "backward": "stale_value"},
    "ja": "今回の入力からではなく、前の呼び出しで計算した値を返しています（最初の呼",
}
