"""f(x)(1 - f(x)) written on the inputs: x (1 - x)."""

import numpy as np


class Sigmoid:
    def __init__(self):
        self.output = None

    def forward(self, inputs):
        self.inputs = inputs
        self.output = 1 / (1 + np.exp(-inputs))
        return self.output

    def backward(self, grad):
        return grad * self.inputs * (1 - self.inputs)


EXPECT = {
    "subject": "Sigmoid",
    "like": "Sigmoid",
    "ok": False,
    "en": "is grad * x (1 - x) of the inputs x;",
    "diagnoses": {"backward": "sigmoid_of_inputs"},
    "ja": "入力 x で grad * x(1 - x) を計算しています。微分は出",
}
