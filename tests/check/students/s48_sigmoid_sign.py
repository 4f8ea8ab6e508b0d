"""exp(x) where exp(-x) is meant: 1 - sigmoid."""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(x))


EXPECT = {
    "subject": "sigmoid",
    "like": "sigmoid",
    "ok": False,
    "en": "returns 1 - (the right value): the s",
    "diagnoses": {"sigmoid": "complement"},
    "ja": "正しい値ではなく 1 - (正しい値) を返しています（-x のシグモイ",
}
