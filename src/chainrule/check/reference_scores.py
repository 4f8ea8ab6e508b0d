"""References for the notebook's last cells and the exercises after them: accuracy, precision,
recall and F1 of 0/1 predictions, the closed-form least-squares theta, LogSoftmax and NLL.

A metric is called as ``metric(predictions, targets)``; a student who follows scikit-learn's
``(y_true, y_pred)`` order is read by the names of the arguments, so either order is right.
"""

from __future__ import annotations

import numpy as np

from .. import nn, tensor
from . import probe
from .reference import Reference, as_array
from .result import Finding

F = nn.functional
TRUE_FIRST = ("y_true", "true", "t", "target", "targets", "label", "labels", "y", "actual")


def counts(obj, inputs, targets):
    """TP, FP, FN, TN of 0/1 predictions (> 0.5 is positive, as the notebook thresholds)."""
    names = probe.argument_names(obj)
    if names and names[0] in TRUE_FIRST:
        inputs, targets = targets, inputs
    p, t = np.asarray(inputs) > 0.5, np.asarray(targets) == 1
    return (np.sum(p & t), np.sum(p & ~t), np.sum(~p & t), np.sum(~p & ~t))


def _ratio(top: float, bottom: float) -> float:
    return float(top / bottom) if bottom else 0.0  # scikit-learn's zero_division=0


def _accuracy(tp, fp, fn, tn):
    return _ratio(tp + tn, tp + fp + fn + tn)


def _precision(tp, fp, fn, tn):
    return _ratio(tp, tp + fp)


def _recall(tp, fp, fn, tn):
    return _ratio(tp, tp + fn)


def _f1(tp, fp, fn, tn):
    return _ratio(2 * tp, 2 * tp + fp + fn)


METRICS = {"accuracy": _accuracy, "precision": _precision, "recall": _recall, "f1": _f1}


def _metric(kind: str):
    def forward(obj, inputs, params=None, targets=None):
        return np.asarray(METRICS[kind](*counts(obj, inputs, targets)))

    forward.kind = kind
    return forward


def metric_slips(driver, name: str, value, inputs, targets) -> None:
    """Precision where recall is meant (or the reverse); then NaN or an error where 0/0 should be 0."""
    kind = driver.reference.forward.kind
    wrong = [f for f in driver.findings if f.name == name and f.diagnosis == "mismatch"]
    truth = METRICS[kind](*counts(driver.obj, inputs, targets))
    if wrong and truth and np.isclose(as_array(value).reshape(-1)[0], 100 * truth):
        driver.relabel(name, "percent", hint="percent")
        return
    if wrong and kind in ("precision", "recall"):
        other = "recall" if kind == "precision" else "precision"
        truth = METRICS[other](*counts(driver.obj, inputs, targets))
        if np.isclose(as_array(value).reshape(-1)[0], truth):
            driver.relabel(
                name,
                "precision_recall_swapped",
                found=(other,),
                owner=kind,
                hint="precision_recall_swapped",
            )
        return
    right = not any(f.name == name for f in driver.findings)
    if right and not thresholds(driver, name, inputs, targets, truth):
        return
    if wrong or kind == "accuracy":
        return
    # no positive prediction and no positive target: TP + FP = TP + FN = 0
    zeros = np.zeros_like(np.asarray(inputs, dtype=np.float64))
    try:
        got = as_array(driver.call(driver.obj, zeros.copy(), zeros.copy()))
        if np.isfinite(got).all() and np.allclose(got, 0.0):
            return
        error = "NaN" if np.isnan(got).any() else str(got.reshape(-1)[0])
    except probe.STUDENT_ERRORS as raised:
        error = f"{type(raised).__name__}: {raised}"
    driver.findings.append(Finding(name, "zero_division", error=error, hint="zero_division"))


def probabilities(classes) -> np.ndarray:
    """0/1 predictions as the sigmoid outputs the notebook passes: the same classes at > 0.5."""
    c = np.asarray(classes, dtype=np.float64)
    spread = (0.1 + 0.35 * (np.arange(c.size) % 4) / 3).reshape(c.shape)
    return np.where(c > 0.5, 0.5 + spread, 0.5 - spread)


def thresholds(driver, name: str, inputs, targets, truth: float) -> bool:
    """The notebook scores sigmoid outputs (pred > 0.5 inside the metric): the same classes given
    as probabilities must score the same, which (pred == t) on them does not."""
    names = probe.argument_names(driver.obj)
    swapped = bool(names) and names[0] in TRUE_FIRST
    args = (inputs, probabilities(targets)) if swapped else (probabilities(inputs), targets)
    args = tuple(np.array(a) for a in args)
    try:
        got = as_array(driver.call(driver.obj, *(a.copy() for a in args)))
    except probe.STUDENT_ERRORS as error:
        driver.fail(name, error, driver.obj, args)
        return False
    if got.size == 1 and np.isclose(got.reshape(-1)[0], truth):
        return True
    driver.findings.append(
        Finding(
            name,
            "no_threshold",
            hint="no_threshold",
            worst_index=() if got.size == 1 else None,
            worst_expected=truth,
            worst_received=float(got.reshape(-1)[0]) if got.size == 1 else None,
        )
    )
    return False


def _least_squares(obj, inputs, params=None, targets=None):
    """theta = argmin |X theta - Y|^2, in the shape the student returns it when it has two numbers."""
    theta = np.linalg.lstsq(np.asarray(inputs), np.asarray(targets), rcond=None)[0]
    try:
        theirs = as_array(obj(np.array(inputs), np.array(targets)))
        return theta.reshape(theirs.shape) if theirs.size == theta.size else theta
    except Exception:  # noqa: BLE001 - the student's own failure is reported by the check itself
        return theta


def _log_softmax(obj, inputs, params=None, targets=None):
    return as_array(F.log_softmax(tensor(np.asarray(inputs, dtype=np.float64)), dim=1).numpy())


def _nll(obj, inputs, params=None, targets=None):
    """Mean of -log p[label]: one-hot targets or class labels alike, as torch's NLLLoss."""
    t = np.asarray(targets)
    labels = t.argmax(axis=1) if t.ndim == 2 and t.shape == np.shape(inputs) else t.reshape(-1)
    x = tensor(np.asarray(inputs, dtype=np.float64))
    return as_array(F.nll_loss(x, tensor(labels.astype(np.int64))).numpy())


def _predictions(rng, n):
    # 8 rows with every cell of the confusion matrix filled, so no metric is 0/0 by chance
    p = np.array([1, 1, 1, 0, 0, 0, 1, 0] * ((n + 7) // 8), dtype=np.float64)[: max(n, 8)]
    return p.reshape(-1, 1)


def _truths(rng, n):
    t = np.array([1, 1, 0, 1, 0, 0, 0, 0] * ((n + 7) // 8), dtype=np.float64)[: max(n, 8)]
    return t.reshape(-1, 1)


def _design(rng, n):
    return np.concatenate([np.ones((n, 1)), rng.uniform(-2, 2, size=(n, 1))], axis=1)


def _log_probs(rng, n):
    return _log_softmax(None, rng.standard_normal((n, 3)))


def _labels(rng, n):
    labels = np.arange(n) % 3
    rng.shuffle(labels)
    return labels


SCORES: dict[str, Reference] = {
    **{name: Reference("function", _metric(name), _predictions, _truths) for name in METRICS},
    "f1_score": Reference("function", _metric("f1"), _predictions, _truths),
    "least_squares": Reference(
        "function", _least_squares, _design, lambda rng, n: rng.standard_normal((n, 1))
    ),
    "LogSoftmax": Reference("layer", _log_softmax, lambda rng, n: rng.standard_normal((n, 3))),
    "NLLLoss": Reference("loss", _nll, _log_probs, _labels),
}
