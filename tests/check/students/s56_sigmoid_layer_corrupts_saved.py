"""backward multiplies the saved output in place: a second backward is wrong."""

import numpy as np


class Sigmoid:
    def __init__(self):
        self.output = None

    def forward(self, inputs):
        self.output = 1 / (1 + np.exp(-inputs))
        return self.output

    def backward(self, grad):
        self.output *= 1 - self.output
        return grad * self.output


EXPECT = {
    "subject": "Sigmoid",
    "like": "Sigmoid",
    "ok": False,
    "en": "backward changed self.output in plac",
    "diagnoses": {"self.output": "backward_overwrites_saved"},
    "ja": "forward が保存した self.output を backward",
}
