"""Metrics check their labels as scikit-learn does: probabilities, NaN, a missing positive label
and a multiclass target under average='binary' are refused; -1/1 labels score as in scikit-learn."""

import warnings

import numpy as np
import pytest

skm = pytest.importorskip("sklearn.metrics")

from chainrule import metrics

pytestmark = pytest.mark.oracle  # compared with PyTorch / scikit-learn


ALL = [
    (metrics.accuracy, skm.accuracy_score),
    (metrics.precision, skm.precision_score),
    (metrics.recall, skm.recall_score),
    (metrics.f1, skm.f1_score),
]
BINARY = ALL[1:]  # accuracy takes any labels, in scikit-learn too


@pytest.mark.parametrize(
    "pair, y_true, y_pred",
    [
        *[(m, [0, 1, 1, 0], [0.2, 0.9, 0.6, 0.1]) for m in ALL],  # probabilities, not labels
        *[(m, [0, 1, 1], [0, np.nan, 1]) for m in ALL],  # NaN
        *[(m, [0, 2, 2, 0], [2, 2, 0, 0]) for m in BINARY],  # binary without the positive label 1
        *[(m, [0, 1, 2, 1], [0, 1, 1, 2]) for m in BINARY],  # multiclass with average='binary'
    ],
    ids=lambda v: getattr(v[0], "__name__", None) if isinstance(v, tuple) else None,
)
def test_labels_scikit_learn_refuses_are_refused(pair, y_true, y_pred):
    ours, theirs = pair
    with warnings.catch_warnings(), pytest.raises(ValueError):
        warnings.simplefilter("ignore")  # scikit-learn warns about the NaN cast before it raises
        theirs(y_true, y_pred)
    with pytest.raises(ValueError, match=rf"{ours.__name__}: expected "):
        ours(y_true, y_pred)


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (metrics.accuracy, skm.accuracy_score),
        (metrics.precision, skm.precision_score),
        (metrics.recall, skm.recall_score),
        (metrics.f1, skm.f1_score),
    ],
)
def test_minus_one_is_the_negative_class_as_in_scikit_learn(ours, theirs):
    t, p = [-1, 1, 1, -1, 1], [1, 1, -1, -1, 1]
    assert ours(t, p) == pytest.approx(theirs(t, p))
    assert ours(np.array(t, float), np.array(p, float)) == pytest.approx(theirs(t, p))


def test_binary_counts_and_confusion_matrix_do_not_wrap_negative_labels():
    assert metrics.binary_counts([-1, 1, 1], [1, 1, -1]) == {"tp": 1, "fp": 1, "tn": 0, "fn": 1}
    with pytest.raises(ValueError, match=r"confusion_matrix: expected labels in \[0, 1\], got -1"):
        metrics.confusion_matrix([-1, 1], [1, 1])
    with pytest.raises(ValueError, match=r"confusion_matrix: expected labels in \[0, 2\], got 3"):
        metrics.confusion_matrix([0, 3], [1, 1], num_classes=3)
