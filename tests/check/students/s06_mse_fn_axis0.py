"""Mean over axis 0: a (1,) array holding the loss, the same number."""

import numpy as np


def loss_MSE(inputs, targets):
    return np.square(inputs - targets).mean(axis=0)


EXPECT = {"subject": "loss_MSE", "like": "loss_MSE", "ok": True}
