"""TP / (TP + FP): the precision, under the name recall."""


def recall(pred, t):
    tp = ((t == 1) & (pred > 0.5)).sum()
    fp = ((t == 0) & (pred > 0.5)).sum()
    return tp / (tp + fp) if tp + fp else 0.0


EXPECT = {
    "subject": "recall",
    "like": "recall",
    "ok": False,
    "en": "returns the precision where the reca",
    "diagnoses": {"recall": "precision_recall_swapped"},
    "ja": "recall ではなく precision を返しています",
}
