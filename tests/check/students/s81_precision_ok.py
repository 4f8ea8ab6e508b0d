"""Precision with a guard for no positive prediction."""

import numpy as np


def precision(pred, t):
    tp = np.sum((pred > 0.5) & (t == 1))
    fp = np.sum((pred > 0.5) & (t == 0))
    return tp / (tp + fp) if tp + fp > 0 else 0.0


EXPECT = {"subject": "precision", "like": "precision", "ok": True}
