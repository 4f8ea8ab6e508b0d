"""F1 from counts with // : 2 TP // (2 TP + FP + FN) is 0 unless everything is right."""

import numpy as np


def f1(pred, t):
    p = pred > 0.5
    tp = int(np.sum(p & (t == 1)))
    fp = int(np.sum(p & (t == 0)))
    fn = int(np.sum(~p & (t == 1)))
    if 2 * tp + fp + fn == 0:
        return 0.0
    return 2 * tp // (2 * tp + fp + fn)


EXPECT = {
    "subject": "f1",
    "like": "f1",
    "ok": False,
    "en": "returns whole numbers where fraction",
    "diagnoses": {"f1": "integer_result"},
    "ja": "小数になるべき値が整数に切り捨てられています",
}
