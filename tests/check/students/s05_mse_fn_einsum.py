"""loss_MSE with einsum, in float64 explicitly."""

import numpy as np


def loss_MSE(inputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    r = np.asarray(inputs, dtype=np.float64) - np.asarray(targets, dtype=np.float64)
    return np.einsum("ij,ij->", r, r) / r.shape[0]


EXPECT = {"subject": "loss_MSE", "like": "loss_MSE", "ok": True}
