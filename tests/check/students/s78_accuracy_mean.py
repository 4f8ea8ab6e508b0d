"""Accuracy as the mean of matches, thresholded at 0.5."""

import numpy as np


def accuracy(pred, t):
    return np.mean((pred > 0.5) == (t == 1))


EXPECT = {"subject": "accuracy", "like": "accuracy", "ok": True}
