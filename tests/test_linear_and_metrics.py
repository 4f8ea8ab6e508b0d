import numpy as np
import pytest

from chainrule import ShapeError, metrics
from chainrule.data import make_line, with_ones_column
from chainrule.least_squares import least_squares


@pytest.mark.oracle
def test_least_squares_matches_sklearn_and_known_standard_errors():
    LinearRegression = pytest.importorskip("sklearn.linear_model").LinearRegression
    x, y = make_line()
    fit = least_squares(with_ones_column(x), y)
    reference = LinearRegression().fit(x, y.ravel())
    np.testing.assert_allclose(fit.theta, [reference.intercept_, reference.coef_[0]], rtol=1e-12)
    # textbook formula for simple regression: se(a) = sqrt(s^2 / Sxx)
    residuals = y.ravel() - (fit.theta[0] + fit.theta[1] * x.ravel())
    s2 = residuals @ residuals / (len(x) - 2)
    sxx = ((x - x.mean()) ** 2).sum()
    assert fit.stderr[1] == pytest.approx(np.sqrt(s2 / sxx), rel=1e-10)
    assert fit.r2 == pytest.approx(reference.score(x, y.ravel()), rel=1e-12)


def test_least_squares_checks_shapes():
    with pytest.raises(ShapeError, match=r"least_squares: expected y with 3 rows to match X"):
        least_squares(np.ones((3, 2)), np.ones(4))


@pytest.mark.oracle
@pytest.mark.parametrize("seed", range(5))
def test_binary_metrics_match_sklearn(seed):
    skm = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(seed)
    t, p = rng.integers(0, 2, 50), rng.integers(0, 2, 50)
    assert metrics.accuracy(t, p) == pytest.approx(skm.accuracy_score(t, p))
    assert metrics.precision(t, p) == pytest.approx(skm.precision_score(t, p))
    assert metrics.recall(t, p) == pytest.approx(skm.recall_score(t, p))
    assert metrics.f1(t, p) == pytest.approx(skm.f1_score(t, p))
    np.testing.assert_array_equal(metrics.confusion_matrix(t, p), skm.confusion_matrix(t, p))
    c = metrics.binary_counts(t, p)
    tn, fp, fn, tp = skm.confusion_matrix(t, p).ravel()
    assert (c["tp"], c["fp"], c["tn"], c["fn"]) == (tp, fp, tn, fn)


@pytest.mark.oracle
@pytest.mark.parametrize("average", ["macro", "micro", "weighted"])
def test_multiclass_averages_match_sklearn(average):
    skm = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(3)
    t, p = rng.integers(0, 4, 80), rng.integers(0, 4, 80)
    for ours, theirs in (
        (metrics.precision, skm.precision_score),
        (metrics.recall, skm.recall_score),
        (metrics.f1, skm.f1_score),
    ):
        assert ours(t, p, average=average) == pytest.approx(theirs(t, p, average=average))


@pytest.mark.oracle
def test_undefined_precision_and_recall_give_zero_division_value_not_an_exception():
    skm = pytest.importorskip("sklearn.metrics")
    t = np.array([0, 0, 0])
    p = np.array([0, 0, 0])
    assert metrics.precision(t, p) == 0.0
    assert metrics.recall(t, p) == 0.0
    assert metrics.f1(t, p, zero_division=1.0) == 1.0
    assert metrics.precision(t, p) == skm.precision_score(t, p, zero_division=0.0)


@pytest.mark.oracle
def test_regression_metrics_match_sklearn():
    skm = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    t, p = rng.standard_normal(30), rng.standard_normal(30)
    assert metrics.mse(t, p) == pytest.approx(skm.mean_squared_error(t, p))
    assert metrics.r2_score(t, p) == pytest.approx(skm.r2_score(t, p))


def test_metric_input_errors_name_the_metric():
    with pytest.raises(
        ShapeError, match="accuracy: expected y_true and y_pred with the same number of elements"
    ):
        metrics.accuracy([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="f1: expected average"):
        metrics.f1([0, 1], [0, 1], average="mystery")
