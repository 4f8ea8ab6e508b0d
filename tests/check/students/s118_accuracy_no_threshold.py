"""Accuracy compared on the probabilities themselves, never thresholded at 0.5."""

import numpy as np


def accuracy(pred, t):
    return np.mean(pred == t)


EXPECT = {
    "subject": "accuracy",
    "like": "accuracy",
    "ok": False,
    "en": "is right for 0/1 predictions but not",
    "diagnoses": {"accuracy": "no_threshold"},
    "ja": "0/1 の予測なら正しいのですが、0.73 のような確率（ノ",
}
