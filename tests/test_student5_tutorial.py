"""The tutorial's numbers, recomputed from the notebook's recipes with `random` and NumPy alone.

An outsider with the notebook checks `chainrule tutorial --json` this way: the same seeds and
formulas, no chainrule in the computation, so a shared mistake cannot hide.
"""

import json
import random

import numpy as np
import pytest

from chainrule.cli.main import main


def notebook_line():
    random.seed(100)
    points = []
    for _ in range(10):
        x = random.random() * 5
        points.append((x, 2 * x + 3 + random.normalvariate(0, 1)))
    return np.array([p[0] for p in points]), np.array([[p[1]] for p in points])


def notebook_boundary():
    random.seed(100)
    X, T = [], []
    for _ in range(1000):
        x, y = random.random() * 3, random.random() * 3
        diff = y - (-1 * x + 3)
        if diff < -0.5:
            tag = 0
        elif diff > 0.5:
            tag = 1
        else:
            tag = 0 if random.random() > diff + 0.5 else 1
        X.append([x, y])
        T.append([tag])
    return np.array(X), np.array(T)


def descend(X, Y, theta, lr, steps, until=None, back=lambda t: t):
    for step in range(1, steps + 1):
        grad = -2 * (Y - X @ theta.T) / len(Y)
        theta = theta - lr * grad.T @ X
        if until is not None and np.max(np.abs(back(theta[0]) - until)) < 1e-6:
            return step
    return theta


def report(capsys, name):
    assert main(["tutorial", name, "--json", "--no-plots"]) == 0
    return json.loads(capsys.readouterr().out)


def test_regression_and_exercise_1_from_the_recipes(capsys):
    got = report(capsys, "regression")
    random.seed(123)
    assert got["one_variable"]["b_init"] == random.random()
    x, Y = notebook_line()
    X = np.stack([np.ones_like(x), x], axis=1)
    theta0 = np.random.default_rng(123).random((1, 2))
    b, a = descend(X, Y, theta0, 0.1, 100)[0]
    assert (got["gd"]["a"], got["gd"]["b"]) == pytest.approx((a, b), abs=1e-12)
    beta = np.linalg.lstsq(X, Y, rcond=None)[0].ravel()
    s2 = np.sum((Y.ravel() - X @ beta) ** 2) / (len(x) - 2)
    se = np.sqrt(np.diag(s2 * np.linalg.inv(X.T @ X)))
    assert (got["ols"]["b"], got["ols"]["a"]) == pytest.approx(tuple(beta), abs=1e-12)
    assert (got["ols"]["se_b"], got["ols"]["se_a"]) == pytest.approx(tuple(se), abs=1e-12)
    assert got["exercise1"]["steps_to_ols_within_1e-6"] == descend(X, Y, theta0, 0.1, 10**5, beta)
    mean, std = x.mean(), x.std()
    Z = np.stack([np.ones_like(x), (x - mean) / std], axis=1)

    def back(t):
        return np.array([t[0] - t[1] * mean / std, t[1] / std])

    standardized = descend(Z, Y, theta0, 0.1, 10**5, beta, back)
    assert got["exercise1"]["steps_to_ols_within_1e-6_standardized"] == standardized == 66


def test_the_report_says_in_which_space_the_standardized_count_is_measured(capsys):
    # counted on z's own coefficients it is 72, not 66: the report must say which it counts
    for lang, words in (("en", "mapped back from z"), ("ja", "x の a と b に戻して")):
        assert main(["tutorial", "regression", "--no-plots", "--lang", lang]) == 0
        assert words in capsys.readouterr().out


def test_classification_from_the_recipes(capsys):
    got = report(capsys, "classification")
    X, T = notebook_boundary()
    inputs = np.concatenate([np.ones((900, 1)), X[:900]], axis=1)
    theta = np.random.default_rng(123).random((1, 3))
    for _ in range(1000):
        y = 1 / (1 + np.exp(-(inputs @ theta.T)))
        grad = (-T[:900] / y + (1 - T[:900]) / (1 - y)) / 900 * y * (1 - y)
        theta = theta - grad.T @ inputs
    test = np.concatenate([np.ones((100, 1)), X[900:]], axis=1)
    pred = 1 / (1 + np.exp(-(test @ theta.T))) > 0.5
    t = T[900:] == 1
    tp, fp, fn = np.sum(t & pred), np.sum(~t & pred), np.sum(t & ~pred)
    tn = np.sum(~t & ~pred)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    metrics = got["metrics"]
    assert metrics["accuracy"] == pytest.approx((tp + tn) / 100)
    assert metrics["precision"] == pytest.approx(precision)
    assert metrics["recall"] == pytest.approx(recall)
    assert metrics["f1"] == pytest.approx(2 / (1 / precision + 1 / recall))
    assert (tp, fp, tn, fn) == (46, 5, 45, 4)
