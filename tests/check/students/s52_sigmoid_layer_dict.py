"""Sigmoid layer keeping its output in a dict, written y - y**2."""

import numpy as np


class Sigmoid:
    def __init__(self):
        self.cache = {}

    def forward(self, inputs):
        self.cache["y"] = 1 / (1 + np.exp(-inputs))
        return self.cache["y"]

    def backward(self, grad):
        y = self.cache["y"]
        return grad * (y - y**2)


EXPECT = {"subject": "Sigmoid", "like": "Sigmoid", "ok": True}
