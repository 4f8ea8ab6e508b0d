"""F1 with guards, from precision and recall."""

import numpy as np


def f1(pred, t):
    tp = np.sum((pred > 0.5) & (t == 1))
    fp = np.sum((pred > 0.5) & (t == 0))
    fn = np.sum((pred <= 0.5) & (t == 1))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


EXPECT = {"subject": "f1", "like": "f1", "ok": True}
