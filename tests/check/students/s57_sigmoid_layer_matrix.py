"""np.matrix outputs: * is a matrix product, so grad * y * (1 - y) is not elementwise."""

import numpy as np


class Sigmoid:
    def __init__(self):
        self.output = None

    def forward(self, inputs):
        self.output = np.matrix(1 / (1 + np.exp(-inputs)))
        return self.output

    def backward(self, grad):
        return np.matrix(grad) * self.output.T * (1 - self.output)


EXPECT = {
    "subject": "Sigmoid",
    "like": "Sigmoid",
    "ok": False,
    "en": "wrong values",
    "diagnoses": {"backward": "mismatch"},
    "ja": "値が違います",
}
