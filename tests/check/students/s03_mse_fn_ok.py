"""loss_MSE with np.mean, the plain way."""

import numpy as np


def loss_MSE(inputs, targets):
    return np.mean((targets - inputs) ** 2)


EXPECT = {"subject": "loss_MSE", "like": "loss_MSE", "ok": True}
