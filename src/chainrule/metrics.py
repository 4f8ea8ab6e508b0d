"""Classification and regression metrics: accuracy, precision, recall, F1, confusion matrix,
MSE and R^2, defined as scikit-learn defines them."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ._checks import fail_shape, fail_value, shape_str


class UndefinedMetricWarning(UserWarning):
    """A score that is not defined for these inputs, returned as nan (scikit-learn's warning)."""


def _array(who: str, name: str, value: Any, columns: bool = False) -> np.ndarray:
    try:
        array = np.asarray(value.detach().numpy() if hasattr(value, "detach") else value)
    except ValueError:
        fail_value(who, f"{name} as a flat sequence of labels", "rows of different lengths")
    # One-hot rows or (n, k) scores would flatten into n * k binary labels and a wrong score.
    if not columns and array.ndim > 1 and array.shape[1:] != (1,) * (array.ndim - 1):
        fail_shape(
            who,
            f"{name} of shape (n,) or (n, 1)",
            shape_str(array.shape),
            "for one-hot rows or class scores, take .argmax(1) first.",
        )
    return array


def _rows(array: np.ndarray) -> np.ndarray:
    # (n, 0) for an empty array: reshape(0, -1) cannot tell how many columns
    return array.reshape(len(array) if array.ndim else 1, -1 if array.size else 0)


def _labels(
    who: str, y_true: Any, y_pred: Any, classes: bool = True, columns: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Flattened y_true and y_pred; with ``classes``, checked to be labels as scikit-learn checks them.

    ``columns`` lets (n, k) outputs through when both shapes agree (mse: the mean over all of
    them is scikit-learn's uniform average over the k outputs)."""
    t, p = _array(who, "y_true", y_true, columns), _array(who, "y_pred", y_pred, columns)
    if columns and _rows(t).shape != _rows(p).shape:
        shapes = f"{shape_str(t.shape)} and {shape_str(p.shape)}"
        fail_shape(who, "y_true and y_pred of one shape", shapes)
    t, p = t.reshape(-1), p.reshape(-1)
    if t.shape != p.shape:
        fail_shape(
            who,
            "y_true and y_pred with the same number of elements",
            f"{shape_str(np.shape(y_true))} and {shape_str(np.shape(y_pred))}",
        )
    if t.size == 0:
        fail_value(who, "at least one sample", "none")
    for name, values in (("y_true", t), ("y_pred", p)):
        if values.dtype.kind not in "biuf":
            hint = "map labels to integers: np.unique(y, return_inverse=True)." if classes else None
            fail_value(who, f"numeric {name}", f"dtype {values.dtype}", hint)
        if values.dtype.kind == "f" and not np.isfinite(values).all():
            fail_value(who, f"finite {name}", f"{values[~np.isfinite(values)][0]}")
        if classes and values.dtype.kind == "f" and (values != np.round(values)).any():
            # scikit-learn: "Classification metrics can't handle a mix of binary and continuous targets".
            fail_value(
                who,
                f"class labels in {name}",
                f"continuous values such as {values[values != np.round(values)][0]}",
                "threshold probabilities first (p > 0.5), or take argmax over the classes.",
            )
    return t, p


def _check_zero_division(who: str, zero_division: Any) -> None:
    # scikit-learn's choices, less "warn": chainrule never warns where it can answer
    ok = isinstance(zero_division, (int, float, np.number)) and not isinstance(zero_division, bool)
    if not (ok and (zero_division in (0, 1) or np.isnan(zero_division))):
        fail_value(who, "zero_division 0.0, 1.0 or nan", repr(zero_division))


def _safe_divide(numerator: float, denominator: float, zero_division: float) -> float:
    """The answer where a ratio is undefined (no predicted or no actual positives)."""
    return float(numerator / denominator) if denominator else float(zero_division)


def confusion_matrix(y_true: Any, y_pred: Any, num_classes: int | None = None) -> np.ndarray:
    """Counts C[i, j] of samples of true class i predicted as class j (scikit-learn's layout)."""
    t, p = _labels("confusion_matrix", y_true, y_pred)
    t, p = t.astype(np.int64), p.astype(np.int64)
    if num_classes is not None and (
        not isinstance(num_classes, (int, np.integer))
        or isinstance(num_classes, bool)
        or num_classes < 1
    ):
        fail_value("confusion_matrix", "num_classes as a positive integer", repr(num_classes))
    k = num_classes or int(max(t.max(), p.max())) + 1
    if k > _MAX_CLASSES:
        fail_value(
            "confusion_matrix",
            f"at most {_MAX_CLASSES} classes (a k x k table)",
            f"labels up to {k - 1}",
            "map labels to 0..k-1 first: np.unique(y, return_inverse=True).",
        )
    low, high = int(min(t.min(), p.min())), int(max(t.max(), p.max()))
    if low < 0 or high >= k:
        # Labels index the rows and columns here; a -1 would silently land in the last row.
        fail_value(
            "confusion_matrix",
            f"labels in [0, {k - 1}]",
            str(low if low < 0 else high),
            "map labels to 0..k-1 first: np.unique(y, return_inverse=True).",
        )
    matrix = np.zeros((k, k), dtype=np.int64)
    np.add.at(matrix, (t, p), 1)
    return matrix


# a 16384 x 16384 int64 table is 2 GiB: larger label values are ids, not class indices
_MAX_CLASSES = 1 << 14


def binary_counts(y_true: Any, y_pred: Any) -> dict[str, int]:
    """tp, fp, tn, fn for 0/1 labels, as the notebook counts them; 1 is the positive class."""
    return _counts(*_binary("binary_counts", y_true, y_pred))


def _counts(t: np.ndarray, p: np.ndarray) -> dict[str, int]:
    return {
        "tp": int((t & p).sum()),
        "fp": int((~t & p).sum()),
        "tn": int((~t & ~p).sum()),
        "fn": int((t & ~p).sum()),
    }


def _binary(who: str, y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the positive class (label 1) with scikit-learn's checks for average='binary'."""
    t, p = _labels(who, y_true, y_pred)
    present = np.union1d(t, p)
    if len(present) > 2:
        fail_value(
            who,
            "two classes for average='binary'",
            f"{len(present)} classes {present.tolist()[:6]}",
            "pass average='macro', 'micro' or 'weighted'.",
        )
    if len(present) == 2 and 1 not in present:
        fail_value(
            who,
            "the positive label 1 among the labels",
            f"labels {present.tolist()}",
            "map the positive class to 1 and the other to 0.",
        )
    return t == 1, p == 1


def accuracy(y_true: Any, y_pred: Any) -> float:
    t, p = _labels("accuracy", y_true, y_pred)
    return float((t == p).mean())


def _per_class(who: str, y_true: Any, y_pred: Any, average: str):
    t, p = _labels(who, y_true, y_pred)
    if average == "binary":
        return _counts(*_binary(who, t, p)), None
    if average not in ("macro", "micro", "weighted"):
        fail_value(who, "average 'binary', 'macro', 'micro' or 'weighted'", repr(average))
    classes = np.union1d(t, p)
    tp = np.array([((t == c) & (p == c)).sum() for c in classes])
    fp = np.array([((t != c) & (p == c)).sum() for c in classes])
    fn = np.array([((t == c) & (p != c)).sum() for c in classes])
    support = np.array([(t == c).sum() for c in classes])
    return (tp, fp, fn), support


def _combine(values: np.ndarray, support: np.ndarray, average: str) -> float:
    # zero_division=nan leaves those classes out of the average, as scikit-learn does
    kept = ~np.isnan(values)
    if not kept.any():
        return float("nan")
    values, support = values[kept], support[kept]
    if average == "weighted" and support.sum():
        return float((values * support).sum() / support.sum())
    return float(values.mean())


def _score(who: str, y_true: Any, y_pred: Any, average: str, zero_division: float, ratio) -> float:
    """``ratio(tp, fp, fn)`` gives (numerator, denominator): per class then averaged, or pooled."""
    _check_zero_division(who, zero_division)
    counts, support = _per_class(who, y_true, y_pred, average)
    if support is None:
        return _safe_divide(*ratio(counts["tp"], counts["fp"], counts["fn"]), zero_division)
    tp, fp, fn = counts
    if average == "micro":
        return _safe_divide(*ratio(tp.sum(), fp.sum(), fn.sum()), zero_division)
    values = np.array([_safe_divide(*ratio(a, b, c), zero_division) for a, b, c in zip(tp, fp, fn)])
    return _combine(values, support, average)


def precision(
    y_true: Any, y_pred: Any, average: str = "binary", zero_division: float = 0.0
) -> float:
    """TP / (TP + FP); ``zero_division`` where nothing was predicted positive."""
    return _score(
        "precision", y_true, y_pred, average, zero_division, lambda tp, fp, fn: (tp, tp + fp)
    )


def recall(y_true: Any, y_pred: Any, average: str = "binary", zero_division: float = 0.0) -> float:
    """TP / (TP + FN); ``zero_division`` where there are no actual positives."""
    return _score(
        "recall", y_true, y_pred, average, zero_division, lambda tp, fp, fn: (tp, tp + fn)
    )


def f1(y_true: Any, y_pred: Any, average: str = "binary", zero_division: float = 0.0) -> float:
    """2 TP / (2 TP + FP + FN), the harmonic mean of precision and recall.

    >>> f1([1, 1, 0, 0], [1, 0, 1, 0])
    0.5
    """
    return _score(
        "f1", y_true, y_pred, average, zero_division, lambda tp, fp, fn: (2 * tp, 2 * tp + fp + fn)
    )


def mse(y_true: Any, y_pred: Any) -> float:
    t, p = _labels("mse", y_true, y_pred, classes=False, columns=True)
    t, p = t.astype(np.float64), p.astype(np.float64)  # integer differences would wrap around
    return float(((t - p) ** 2).mean())


def r2_score(y_true: Any, y_pred: Any) -> float:
    """1 - RSS / TSS; 1 is a perfect fit, 0 is no better than predicting the mean.

    As scikit-learn: nan with an UndefinedMetricWarning for one sample; for a constant y_true,
    1.0 when the prediction is exact and 0.0 otherwise (its force_finite=True)."""
    t, p = _labels("r2_score", y_true, y_pred, classes=False)
    if t.size < 2:
        warnings.warn(
            "r2_score: expected at least two samples for R^2, got 1; returning nan.",
            UndefinedMetricWarning,
            stacklevel=2,
        )
        return float("nan")
    t, p = t.astype(np.float64), p.astype(np.float64)  # integer differences would wrap around
    total = float(((t - t.mean()) ** 2).sum())
    rss = float(((t - p) ** 2).sum())
    if total == 0:
        return 1.0 if rss == 0 else 0.0
    return 1.0 - rss / total
