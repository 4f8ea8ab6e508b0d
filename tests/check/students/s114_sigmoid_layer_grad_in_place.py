"""Sigmoid backward multiplies the upstream gradient in place and returns it."""

import numpy as np


class Sigmoid:
    def __init__(self):
        self.output = None

    def forward(self, inputs):
        self.output = 1 / (1 + np.exp(-inputs))
        return self.output

    def backward(self, grad):
        grad *= self.output * (1 - self.output)
        return grad


EXPECT = {
    "subject": "Sigmoid",
    "like": "Sigmoid",
    "ok": False,
    "en": "backward overwrites the upstream gra",
    "diagnoses": {"grad": "overwrites_grad"},
    "ja": "backward が受け取った grad を書き換えています",
}
