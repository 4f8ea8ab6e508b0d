"""The notebook's data, reproduced from its recipe (the recipe is restated here, independently)."""

import random

import numpy as np

from chainrule.data import (
    make_fuzzy_boundary,
    make_line,
    make_three_bands,
    split_in_order,
    with_ones_column,
)


def _notebook_line():
    datasets = []
    random.seed(100)
    for _ in range(10):
        _x = random.random() * 5
        _y = 2 * _x + 3 + random.normalvariate(0, 1)
        datasets.append((_x, _y))
    return datasets


def _notebook_classification():
    X2, T2 = [], []
    random.seed(100)
    for _ in range(1000):
        _x = random.random() * 3
        _y = random.random() * 3
        _diff = _y - (-1 * _x + 3)
        if _diff < -0.5:
            tag = 0
        elif _diff > 0.5:
            tag = 1
        else:
            tag = 0 if random.random() > _diff + 0.5 else 1
        X2.append([_x, _y])
        T2.append([tag])
    return np.array(X2), np.array(T2)


def test_line_equals_the_notebook_recipe_bit_for_bit():
    state = random.getstate()
    expected = _notebook_line()
    random.setstate(state)
    x, y = make_line()
    assert x.shape == (10, 1) and y.shape == (10, 1)
    assert [(a, b) for a, b in zip(x[:, 0], y[:, 0])] == expected
    assert x[0, 0] == 0.7283462755206516 and y[0, 0] == 4.119351746426455


def test_classification_equals_the_notebook_recipe_bit_for_bit():
    X_expected, T_expected = _notebook_classification()
    X, T = make_fuzzy_boundary()
    np.testing.assert_array_equal(X, X_expected)
    np.testing.assert_array_equal(T, T_expected)
    assert T[:5, 0].tolist() == [0, 1, 1, 0, 0]
    X_train, X_test, T_train, T_test = split_in_order(X, T)
    assert len(X_train) == 900 and len(X_test) == 100
    np.testing.assert_array_equal(X_test, X[900:])


def test_generators_do_not_touch_the_global_random_state():
    random.seed(5)
    before = random.random()
    random.seed(5)
    make_line()
    make_fuzzy_boundary(n=20)
    assert random.random() == before


def test_parameters_change_the_data():
    x, y = make_line(n=50, slope=-1.0, intercept=0.0, noise=0.0, seed=1)
    np.testing.assert_allclose(y, -x)
    assert with_ones_column(x).shape == (50, 2)
    X, labels = make_three_bands(n=300)
    assert set(np.unique(labels)) == {0, 1, 2} and labels.dtype == np.int64
