"""np.maximum(0, x).astype(int)."""

import numpy as np


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return np.maximum(0, x).astype(int)

    def backward(self, grad):
        return grad * self.mask


EXPECT = {
    "subject": "ReLU",
    "like": "ReLU",
    "ok": False,
    "en": "returns whole numbers where fraction",
    "diagnoses": {"forward": "integer_result"},
    "ja": "小数になるべき値が整数に切り捨てられています",
}
