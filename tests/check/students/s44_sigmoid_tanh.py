"""sigmoid through tanh: (1 + tanh(x/2)) / 2."""

import numpy as np


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


EXPECT = {"subject": "sigmoid", "like": "sigmoid", "ok": True}
