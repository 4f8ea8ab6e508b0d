"""sigmoid_grad as sigmoid(x) * sigmoid(-x), the same value written by symmetry."""

import numpy as np


def sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))


def sigmoid_grad(x):
    return sigmoid(x) * sigmoid(-x)


EXPECT = {
    "subject": "sigmoid_grad",
    "derivative_of": "sigmoid",
    "like": None,
    "ok": True,
}
