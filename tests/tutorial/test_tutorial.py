"""The tutorial's numbers: golden values from the notebook's recipe with the default seed."""

import numpy as np
import pytest

from chainrule.data import make_line, with_ones_column
from chainrule.least_squares import least_squares
from chainrule.tutorial import Options, classification, regression, softmax


@pytest.fixture(scope="module")
def reg():
    return regression.run(Options(plots=None))


@pytest.fixture(scope="module")
def cls():
    return classification.run(Options(plots=None))


def test_one_variable_section(reg):
    one = reg["one_variable"]
    assert one["b_init"] == 0.052363598850944326  # random.seed(123); random.random()
    assert one["b_one_jump"] == pytest.approx(2.0, abs=1e-15)
    assert one["b_final"] == pytest.approx(2.0, abs=1e-12)


def test_closed_form_fit(reg):
    x, y = make_line()
    fit = least_squares(with_ones_column(x), y)
    assert reg["ols"]["a"] == fit.theta[1] and reg["ols"]["b"] == fit.theta[0]
    assert reg["ols"]["a"] == pytest.approx(2.2300708, abs=1e-6)
    assert reg["ols"]["b"] == pytest.approx(2.7749157, abs=1e-6)


def test_100_steps_of_gradient_descent_land_near_but_not_on_the_closed_form(reg):
    gap = max(abs(reg["gd"]["a"] - reg["ols"]["a"]), abs(reg["gd"]["b"] - reg["ols"]["b"]))
    assert 1e-3 < gap < 0.1
    assert reg["gd"]["final_loss"] > reg["ols"]["loss"]
    assert reg["gd"]["final_loss"] - reg["ols"]["loss"] < 1e-2
    assert reg["gd"]["autograd_max_abs_diff"] == 0.0


def test_exercise_one_answers(reg):
    ex = reg["exercise1"]
    assert ex["steps_to_ols_within_1e-6"] == 442
    assert ex["steps_to_ols_within_1e-6_standardized"] < ex["steps_to_ols_within_1e-6"] / 4
    errors = [abs(row["a"] - 2.0) for row in ex["sample_size"]]
    ses = [row["se_a"] for row in ex["sample_size"]]
    assert ses == sorted(ses, reverse=True)
    assert errors[-1] < errors[0]
    assert all(abs(row["a"] - 2.0) < 3 * row["se_a"] for row in ex["sample_size"])


def test_more_steps_reach_the_closed_form():
    result = regression.run(Options(plots=None, steps=2000))
    assert result["gd"]["a"] == pytest.approx(result["ols"]["a"], abs=1e-9)


def test_classification_on_the_notebooks_split(cls):
    assert cls["n_train"] == 900 and cls["n_test"] == 100
    assert cls["autograd_max_abs_diff"] == 0.0
    assert cls["metrics"]["accuracy"] == 0.91
    assert cls["confusion"] == {"tp": 46, "fp": 5, "tn": 45, "fn": 4}
    assert cls["metrics"]["precision"] == pytest.approx(46 / 51)
    assert cls["metrics"]["recall"] == pytest.approx(46 / 50)
    assert abs(cls["boundary"]["slope"] + 1) < 0.05 and abs(cls["boundary"]["intercept"] - 3) < 0.05


def test_softmax_exercise():
    result = softmax.run(Options(plots=None))
    rows = {row["scale"]: row for row in result["precision_table"]}
    assert (
        np.isneginf(rows[1000]["softmax_then_log"][2])
        and not rows[1000]["softmax_then_log_grad_finite"]
    )
    assert rows[1000]["log_softmax"][2] == -2000.0 and rows[1000]["log_softmax_grad_finite"]
    assert np.isnan(rows[1000]["naive"][0])
    three = result["three_class"]
    assert three["test_loss_cross_entropy"] == pytest.approx(
        three["test_loss_log_softmax_nll"], rel=1e-12
    )
    assert three["accuracy"] >= 0.9


def test_plots_are_written(tmp_path):
    result = classification.run(Options(plots=tmp_path, steps=5))
    for path in result["plots"].values():
        assert path.endswith(".png")
        with open(path, "rb") as handle:
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.usefixtures("torch_installed")
def test_look_at_pytorch_three_ways_from_one_start():
    from chainrule.tutorial import pytorch

    result = pytorch.run(Options(plots=None))
    regression_model, classifier = (
        result["models"]["regression"],
        result["models"]["classification"],
    )
    # manual and autograd call the same Functions on the same MSE: the same bits
    assert regression_model["max_abs_diff"]["autograd"] == 0.0
    assert regression_model["theta"]["manual"] == regression_model["theta"]["autograd"]
    assert regression_model["max_abs_diff"]["torch"] < 1e-13
    assert (
        classifier["max_abs_diff"]["autograd"] < 1e-12
        and classifier["max_abs_diff"]["torch"] < 1e-12
    )
    assert classifier["loss"]["torch"] == pytest.approx(classifier["loss"]["manual"], rel=1e-12)
    # the notebook's answers, from the same start as `chainrule tutorial`
    reg = regression.run(Options(plots=None))
    assert regression_model["theta"]["manual"][0] == [reg["gd"]["b"], reg["gd"]["a"]]


@pytest.mark.parametrize("module", [regression, classification, softmax])
def test_japanese_report_has_the_english_reports_numbers(module):
    import re

    result = module.run(Options(plots=None, steps=30))
    english, japanese = module.report(result, "en"), module.report(result, "ja")
    assert len(english) == len(japanese)
    numbers = re.compile(r"-?\d+\.\d+(?:e[-+]\d+)?")
    assert numbers.findall("\n".join(english)) == numbers.findall("\n".join(japanese))
