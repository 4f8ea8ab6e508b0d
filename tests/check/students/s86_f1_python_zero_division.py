"""F1 with Python ints: ZeroDivisionError when nothing is positive."""

import numpy as np


def f1(pred, t):
    tp = int(np.sum((pred > 0.5) & (t == 1)))
    fp = int(np.sum((pred > 0.5) & (t == 0)))
    fn = int(np.sum((pred <= 0.5) & (t == 1)))
    return 2 * tp / (2 * tp + fp + fn)


EXPECT = {
    "subject": "f1",
    "like": "f1",
    "ok": False,
    "en": "gives ZeroDivisionError: division by",
    "diagnoses": {"f1": "zero_division"},
    "ja": "割る数が 0 のとき（陽性の予測も陽性の正解も 1 つもないとき）に Z",
}
