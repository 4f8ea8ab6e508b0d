"""loss_MSE: np.sum(...) / N ** 2, the mean taken twice."""

import numpy as np


def loss_MSE(inputs, targets):
    return np.sum((inputs - targets) ** 2) / len(inputs) ** 2


EXPECT = {
    "subject": "loss_MSE",
    "like": "loss_MSE",
    "ok": False,
    "en": "divided by N twice: factor 1/N = 0.2",
    "diagnoses": {"loss_MSE": "mean_twice"},
    "ja": "N で 2 回割っています（正しい平均の 1/N = 0.2",
}
