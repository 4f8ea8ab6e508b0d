"""Negates the caller's array in place to save memory."""

import numpy as np


def sigmoid(x):
    np.negative(x, out=x)
    return 1 / (1 + np.exp(x))


EXPECT = {
    "subject": "sigmoid",
    "like": "sigmoid",
    "ok": False,
    "en": "sigmoid overwrites this argument: th",
    "diagnoses": {"x": "overwrites_argument"},
    "ja": "sigmoid が受け取った配列を書き換えています（呼び出し側の配列が変",
}
