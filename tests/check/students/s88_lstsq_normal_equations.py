"""theta = (X^T X)^-1 X^T Y, a (2, 1) column."""

import numpy as np


def least_squares(X, Y):
    return np.linalg.inv(X.T @ X) @ X.T @ Y


EXPECT = {"subject": "least_squares", "like": "least_squares", "ok": True}
