"""ReLU with np.where, and backward from the saved input."""

import numpy as np


class ReLU:
    def forward(self, x):
        self.x = x
        return np.where(x > 0, x, 0.0)

    def backward(self, grad):
        return np.where(self.x > 0, grad, 0.0)


EXPECT = {"subject": "ReLU", "like": "ReLU", "ok": True}
