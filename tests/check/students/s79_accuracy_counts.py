"""Accuracy from the notebook's four counts, with sklearn's argument order."""

import numpy as np


def accuracy(y_true, y_pred):
    tp = np.sum((y_true == 1) & (y_pred > 0.5))
    tn = np.sum((y_true == 0) & (y_pred <= 0.5))
    return (tp + tn) / len(y_true)


EXPECT = {"subject": "accuracy", "like": "accuracy", "ok": True}
