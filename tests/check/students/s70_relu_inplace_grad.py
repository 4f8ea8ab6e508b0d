"""The textbook's dout[mask] = 0: the upstream gradient overwritten."""

import numpy as np


class ReLU:
    def forward(self, x):
        self.mask = x <= 0
        return np.maximum(x, 0)

    def backward(self, grad):
        grad[self.mask] = 0
        return grad


EXPECT = {
    "subject": "ReLU",
    "like": "ReLU",
    "ok": False,
    "en": "backward overwrites the upstream gra",
    "diagnoses": {"grad": "overwrites_grad"},
    "ja": "backward が受け取った grad を書き換えています",
}
