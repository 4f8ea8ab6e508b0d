"""loss_MSE with keyword-only arguments, as the notebook calls it."""

import numpy as np


def loss_MSE(*, inputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    if np.shape(inputs) != np.shape(targets):
        raise ValueError("loss_MSE: shapes differ")
    return ((inputs - targets) ** 2).mean()


EXPECT = {"subject": "loss_MSE", "like": "loss_MSE", "ok": True}
