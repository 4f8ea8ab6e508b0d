"""astype(int) to 'clean up' the output."""

import numpy as np


def sigmoid(x):
    return (1 / (1 + np.exp(-x))).astype(int)


EXPECT = {
    "subject": "sigmoid",
    "like": "sigmoid",
    "ok": False,
    "en": "returns whole numbers where fraction",
    "diagnoses": {"sigmoid": "integer_result"},
    "ja": "小数になるべき値が整数に切り捨てられています",
}
