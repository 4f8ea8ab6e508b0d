"""Forgot the 1/N: a sum of squares."""

import numpy as np


def loss_MSE(inputs, targets):
    return np.sum((targets - inputs) ** 2)


EXPECT = {
    "subject": "loss_MSE",
    "like": "loss_MSE",
    "ok": False,
    "en": "sum where a mean is meant: factor N",
    "diagnoses": {"loss_MSE": "sum_for_mean"},
    "ja": "平均をとるべきところで和をとっています（データ数 N = 5 倍になって",
}
