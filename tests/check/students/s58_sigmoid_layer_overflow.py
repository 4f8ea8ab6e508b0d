"""The Sigmoid layer with exp(x) / (1 + exp(x))."""

import numpy as np


class Sigmoid:
    def __init__(self):
        self.output = None

    def forward(self, inputs):
        self.output = np.exp(inputs) / (1 + np.exp(inputs))
        return self.output

    def backward(self, grad):
        return grad * self.output * (1 - self.output)


EXPECT = {
    "subject": "Sigmoid",
    "like": "Sigmoid",
    "ok": False,
    "en": "returns NaN for large inputs (such a",
    "diagnoses": {"forward": "nan_for_large"},
    "ja": "大きな入力（1000.13 など）に対して NaN を返しています（入力",
}
