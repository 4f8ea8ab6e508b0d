"""exp(-log(1 + exp(-x))) with logaddexp."""

import numpy as np


def sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -x))


EXPECT = {"subject": "sigmoid", "like": "sigmoid", "ok": True}
