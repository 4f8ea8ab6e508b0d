"""targets flattened to (N,): (N,) - (N, 1) broadcasts to (N, N)."""

import numpy as np


def loss_MSE(inputs, targets):
    return np.mean((targets.ravel() - inputs) ** 2)


EXPECT = {
    "subject": "loss_MSE",
    "like": "loss_MSE",
    "ok": False,
    "en": "is the mean over an (N, N) matrix: a",
    "diagnoses": {"loss_MSE": "mse_broadcast"},
    "ja": "(N, N) の行列の平均になっています。(N,) の配列と (N, 1",
}
