"""Classification and regression metrics: accuracy, precision, recall, F1, confusion matrix,
MSE and R^2, defined as scikit-learn defines them."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import fail_shape, fail_value, shape_str


def _labels(who: str, y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(getattr(y_true, "data", y_true)).reshape(-1)
    p = np.asarray(getattr(y_pred, "data", y_pred)).reshape(-1)
    if t.shape != p.shape:
        fail_shape(who, "y_true and y_pred with the same number of elements",
                   f"{shape_str(np.shape(y_true))} and {shape_str(np.shape(y_pred))}")
    if t.size == 0:
        fail_value(who, "at least one sample", "none")
    return t, p


def _safe_divide(numerator: float, denominator: float, zero_division: float) -> float:
    """The answer where a ratio is undefined (no predicted or no actual positives)."""
    return float(numerator / denominator) if denominator else float(zero_division)


def confusion_matrix(y_true: Any, y_pred: Any, num_classes: int | None = None) -> np.ndarray:
    """Counts C[i, j] of samples of true class i predicted as class j (scikit-learn's layout)."""
    t, p = _labels("confusion_matrix", y_true, y_pred)
    t, p = t.astype(np.int64), p.astype(np.int64)
    k = num_classes or int(max(t.max(), p.max())) + 1
    matrix = np.zeros((k, k), dtype=np.int64)
    np.add.at(matrix, (t, p), 1)
    return matrix


def binary_counts(y_true: Any, y_pred: Any) -> dict[str, int]:
    """tp, fp, tn, fn for 0/1 labels, as the notebook counts them."""
    t, p = _labels("binary_counts", y_true, y_pred)
    t, p = t.astype(bool), p.astype(bool)
    return {"tp": int((t & p).sum()), "fp": int((~t & p).sum()),
            "tn": int((~t & ~p).sum()), "fn": int((t & ~p).sum())}


def accuracy(y_true: Any, y_pred: Any) -> float:
    t, p = _labels("accuracy", y_true, y_pred)
    return float((t == p).mean())


def _per_class(who: str, y_true: Any, y_pred: Any, average: str):
    t, p = _labels(who, y_true, y_pred)
    if average == "binary":
        counts = binary_counts(t, p)
        return counts, None
    if average not in ("macro", "micro", "weighted"):
        fail_value(who, "average 'binary', 'macro', 'micro' or 'weighted'", repr(average))
    classes = np.union1d(t, p)
    tp = np.array([((t == c) & (p == c)).sum() for c in classes])
    fp = np.array([((t != c) & (p == c)).sum() for c in classes])
    fn = np.array([((t == c) & (p != c)).sum() for c in classes])
    support = np.array([(t == c).sum() for c in classes])
    return (tp, fp, fn), support


def _combine(values: np.ndarray, support: np.ndarray, average: str) -> float:
    if average == "weighted":
        return float((values * support).sum() / support.sum()) if support.sum() else 0.0
    return float(values.mean())


def _score(who: str, y_true: Any, y_pred: Any, average: str, zero_division: float, ratio) -> float:
    """``ratio(tp, fp, fn)`` gives (numerator, denominator): per class then averaged, or pooled."""
    counts, support = _per_class(who, y_true, y_pred, average)
    if support is None:
        return _safe_divide(*ratio(counts["tp"], counts["fp"], counts["fn"]), zero_division)
    tp, fp, fn = counts
    if average == "micro":
        return _safe_divide(*ratio(tp.sum(), fp.sum(), fn.sum()), zero_division)
    values = np.array([_safe_divide(*ratio(a, b, c), zero_division) for a, b, c in zip(tp, fp, fn)])
    return _combine(values, support, average)


def precision(y_true: Any, y_pred: Any, average: str = "binary", zero_division: float = 0.0) -> float:
    """TP / (TP + FP); ``zero_division`` where nothing was predicted positive."""
    return _score("precision", y_true, y_pred, average, zero_division, lambda tp, fp, fn: (tp, tp + fp))


def recall(y_true: Any, y_pred: Any, average: str = "binary", zero_division: float = 0.0) -> float:
    """TP / (TP + FN); ``zero_division`` where there are no actual positives."""
    return _score("recall", y_true, y_pred, average, zero_division, lambda tp, fp, fn: (tp, tp + fn))


def f1(y_true: Any, y_pred: Any, average: str = "binary", zero_division: float = 0.0) -> float:
    """2 TP / (2 TP + FP + FN), the harmonic mean of precision and recall.

    >>> f1([1, 1, 0, 0], [1, 0, 1, 0])
    0.5
    """
    return _score("f1", y_true, y_pred, average, zero_division,
                  lambda tp, fp, fn: (2 * tp, 2 * tp + fp + fn))


def mse(y_true: Any, y_pred: Any) -> float:
    t, p = _labels("mse", y_true, y_pred)
    return float(((t - p) ** 2).mean())


def r2_score(y_true: Any, y_pred: Any) -> float:
    """1 - RSS / TSS; 1 is a perfect fit, 0 is no better than predicting the mean."""
    t, p = _labels("r2_score", y_true, y_pred)
    total = float(((t - t.mean()) ** 2).sum())
    rss = float(((t - p) ** 2).sum())
    if total == 0:
        return 1.0 if rss == 0 else 0.0
    return 1.0 - rss / total
