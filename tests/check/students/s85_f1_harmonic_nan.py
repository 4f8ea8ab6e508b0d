"""F1 as the notebook prints it, 2 / (1/prec + 1/rec): NaN when nothing is positive."""

import numpy as np


def f1(pred, t):
    tp = np.sum((pred > 0.5) & (t == 1))
    fp = np.sum((pred > 0.5) & (t == 0))
    fn = np.sum((pred <= 0.5) & (t == 1))
    prec = tp / (tp + fp)
    rec = tp / (tp + fn)
    return 2 / (1 / prec + 1 / rec)


EXPECT = {
    "subject": "f1",
    "like": "f1",
    "ok": False,
    "en": "gives NaN when there is nothing to d",
    "diagnoses": {"f1": "zero_division"},
    "ja": "割る数が 0 のとき（陽性の予測も陽性の正解も 1 つもないとき）に N",
}
