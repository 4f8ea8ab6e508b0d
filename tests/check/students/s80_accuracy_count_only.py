"""Counts the right answers and forgets to divide."""

import numpy as np


def accuracy(pred, t):
    return np.sum((pred > 0.5) == (t == 1))


EXPECT = {
    "subject": "accuracy",
    "like": "accuracy",
    "ok": False,
    "en": "sum where a mean is meant: factor N",
    "diagnoses": {"accuracy": "sum_for_mean"},
    "ja": "平均をとるべきところで和をとっています（データ数 N = 8 倍になって",
}
