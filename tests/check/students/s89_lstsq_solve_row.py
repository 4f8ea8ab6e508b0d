"""np.linalg.solve, returned as the notebook's (1, 2) row."""

import numpy as np


def least_squares(X, Y):
    return np.linalg.solve(X.T.dot(X), X.T.dot(Y)).T


EXPECT = {"subject": "least_squares", "like": "least_squares", "ok": True}
