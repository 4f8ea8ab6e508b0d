"""A list comprehension over the rows."""

import numpy as np


def sigmoid(x):
    return [1 / (1 + np.exp(-row)) for row in x]


EXPECT = {
    "subject": "sigmoid",
    "like": "sigmoid",
    "ok": False,
    "en": "returns a list, not a NumPy array: t",
    "diagnoses": {"sigmoid": "not_ndarray"},
    "ja": "NumPy の配列ではなく list を返しています。次の層の計算が失敗",
}
