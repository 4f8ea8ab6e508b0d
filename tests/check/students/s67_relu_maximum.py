"""ReLU with np.maximum and a saved mask."""

import numpy as np


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return np.maximum(0, x)

    def backward(self, grad):
        return grad * self.mask


EXPECT = {"subject": "ReLU", "like": "ReLU", "ok": True}
