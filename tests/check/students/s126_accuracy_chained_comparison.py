"""pred > 0.5 == t without brackets: Python chains it as pred > 0.5 and 0.5 == t."""

import numpy as np


def accuracy(pred, t):
    return np.mean(pred > 0.5 == t)


EXPECT = {
    "subject": "accuracy",
    "like": "accuracy",
    "ok": False,
    "en": "(a > 0.5 == t means (a > 0.5) and (0.5 == t))",
    "diagnoses": {"accuracy": "raised"},
    "ja": "a > 0.5 == t は (a > 0.5) and (0.5 == t) と",
}
