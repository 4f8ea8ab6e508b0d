"""Accuracy as a percentage, 100 times the fraction."""

import numpy as np


def accuracy(pred, t):
    return 100 * np.mean((pred > 0.5) == (t == 1))


EXPECT = {
    "subject": "accuracy",
    "like": "accuracy",
    "ok": False,
    "en": "is a percentage, 100 times the fract",
    "diagnoses": {"accuracy": "percent"},
    "ja": "割合ではなく、その 100 倍のパーセントになっています",
}
