"""Dropout drawing its mask with Python's random module, keeping it for backward: right."""

import random

import numpy as np


class Dropout:
    def __init__(self, p=0.5):
        self.p = p

    def forward(self, x, train_flg=True):
        if not train_flg:
            return x
        keep = [[random.random() >= self.p for _ in row] for row in x]
        self.mask = np.array(keep, dtype=np.float64) / (1 - self.p)
        return x * self.mask

    def backward(self, grad):
        return grad * self.mask


EXPECT = {"subject": "Dropout", "like": None, "ok": True}
