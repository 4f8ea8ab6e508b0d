"""TP / (TP + FN): the recall, under the name precision."""

import numpy as np


def precision(pred, t):
    tp = np.sum((pred > 0.5) & (t == 1))
    fn = np.sum((pred <= 0.5) & (t == 1))
    return tp / (tp + fn) if tp + fn else 0.0


EXPECT = {
    "subject": "precision",
    "like": "precision",
    "ok": False,
    "en": "returns the recall where the precisi",
    "diagnoses": {"precision": "precision_recall_swapped"},
    "ja": "precision ではなく recall を返しています",
}
