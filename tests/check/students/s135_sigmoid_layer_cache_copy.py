"""Sigmoid keeping its output in a dict cache and returning a copy, backward with np.multiply."""

import numpy as np


class Sigmoid:
    def __init__(self):
        self.cache = {}

    def forward(self, inputs):
        out = np.empty_like(inputs, dtype=np.float64)
        np.divide(1.0, 1.0 + np.exp(-inputs), out=out)
        self.cache["y"] = out
        return out.copy()

    def backward(self, grad):
        y = self.cache["y"]
        return np.multiply(grad, y - y**2)


EXPECT = {
    "subject": "Sigmoid",
    "like": "Sigmoid",
    "ok": True,
}
