"""The numerically stable two-branch sigmoid."""

import numpy as np


def sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


EXPECT = {"subject": "sigmoid", "like": "sigmoid", "ok": True}
