"""recall with // on NumPy integer counts."""

import numpy as np


def recall(pred, t):
    tp = np.sum((pred > 0.5) & (t == 1))
    fn = np.sum((pred <= 0.5) & (t == 1))
    return tp // (tp + fn) if tp + fn else 0


EXPECT = {
    "subject": "recall",
    "like": "recall",
    "ok": False,
    "en": "returns whole numbers where fraction",
    "diagnoses": {"recall": "integer_result"},
    "ja": "小数になるべき値が整数に切り捨てられています",
}
