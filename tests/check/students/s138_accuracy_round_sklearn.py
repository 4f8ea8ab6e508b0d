"""accuracy(y_true, y_pred) in scikit-learn's order, thresholding the probabilities with round."""

import numpy as np


def accuracy(y_true, y_pred):
    return float(np.mean(np.round(y_pred) == y_true))


EXPECT = {
    "subject": "accuracy",
    "like": "accuracy",
    "ok": True,
}
