"""The root of the mean: RMSE, not MSE."""

import numpy as np


def loss_MSE(inputs, targets):
    return np.sqrt(np.mean((targets - inputs) ** 2))


EXPECT = {
    "subject": "loss_MSE",
    "like": "loss_MSE",
    "ok": False,
    "en": "wrong values",
    "diagnoses": {"loss_MSE": "mismatch"},
    "ja": "値が違います",
}
