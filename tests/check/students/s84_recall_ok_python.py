"""Recall with Python ints and a zero guard."""


def recall(pred, t):
    tp = fn = 0
    for p, y in zip(pred.ravel(), t.ravel()):
        tp += int(p > 0.5 and y == 1)
        fn += int(p <= 0.5 and y == 1)
    return tp / (tp + fn) if tp + fn else 0.0


EXPECT = {"subject": "recall", "like": "recall", "ok": True}
