"""Subtracts in place into the caller's predictions."""

import numpy as np


def loss_MSE(inputs, targets):
    inputs -= targets
    return np.mean(inputs**2)


EXPECT = {
    "subject": "loss_MSE",
    "like": "loss_MSE",
    "ok": False,
    "en": "loss_MSE overwrites this argument: t",
    "diagnoses": {"inputs": "overwrites_argument"},
    "ja": "loss_MSE が受け取った配列を書き換えています（呼び出し側の配列が",
}
