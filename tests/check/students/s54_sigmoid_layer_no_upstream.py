"""The sigmoid's slope, without multiplying by grad."""

import numpy as np


class Sigmoid:
    def __init__(self):
        self.output = None

    def forward(self, inputs):
        self.output = 1 / (1 + np.exp(-inputs))
        return self.output

    def backward(self, grad):
        return self.output * (1 - self.output)


EXPECT = {
    "subject": "Sigmoid",
    "like": "Sigmoid",
    "ok": False,
    "en": "ignores the upstream gradient: right",
    "diagnoses": {"backward": "upstream_ignored"},
    "ja": "上流から来た勾配 grad を掛けていません（grad がすべて 1 の",
}
