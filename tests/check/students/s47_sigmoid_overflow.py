"""exp(x) / (1 + exp(x)): inf / inf for large x."""

import numpy as np


def sigmoid(x):
    return np.exp(x) / (1 + np.exp(x))


EXPECT = {
    "subject": "sigmoid",
    "like": "sigmoid",
    "ok": False,
    "en": "returns NaN for large inputs (such a",
    "diagnoses": {"sigmoid": "nan_for_large"},
    "ja": "大きな入力（1000.13 など）に対して NaN を返しています（入力",
}
