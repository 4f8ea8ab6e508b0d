"""Least squares returning (b, a) as a tuple of floats, as the notebook reads theta[0]."""

import numpy as np


def least_squares(X, Y):
    theta = np.linalg.pinv(X) @ Y
    return float(theta[0, 0]), float(theta[1, 0])


EXPECT = {"subject": "least_squares", "like": "least_squares", "ok": True}
