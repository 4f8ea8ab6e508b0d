"""backward uses a call counter: the first backward is right, later ones halve."""

import numpy as np


class Sigmoid:
    def __init__(self):
        self.output = None
        self.calls = 0

    def forward(self, inputs):
        self.output = 1 / (1 + np.exp(-inputs))
        return self.output

    def backward(self, grad):
        self.calls += 1
        scale = 1.0 if self.calls == 1 else 0.5
        return scale * grad * self.output * (1 - self.output)


EXPECT = {
    "subject": "Sigmoid",
    "like": "Sigmoid",
    "ok": False,
    "en": "returns other values when called twi",
    "diagnoses": {"backward": "backward_remembers"},
    "ja": "同じ forward のあと同じ grad で 2 回呼ぶと",
}
