"""F1 from precision and recall functions of the student's own, with keyword arguments."""

import numpy as np


def precision(pred, t):
    tp = np.sum((pred > 0.5) & (t == 1))
    return tp / np.sum(pred > 0.5) if np.sum(pred > 0.5) else 0.0


def recall(pred, t):
    tp = np.sum((pred > 0.5) & (t == 1))
    return tp / np.sum(t == 1) if np.sum(t == 1) else 0.0


def f1(pred, t):
    p, r = precision(pred=pred, t=t), recall(pred=pred, t=t)
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


EXPECT = {
    "subject": "f1",
    "like": "f1",
    "ok": True,
}
