"""Classmates' activations and losses: a raised error shows the student's line, NaN for large inputs."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.check.messages import LANGS

from . import classmates as c


@pytest.mark.parametrize("lang", LANGS)
def test_an_error_in_the_students_code_shows_their_line_and_what_to_store(lang):
    result = cr.check(c.SigmoidNoCache, lang=lang)
    assert result.diagnoses == {"backward": "raised"}
    text = str(result)
    assert "AttributeError: 'SigmoidNoCache' object has no attribute 'y'" in text
    line = c.SigmoidNoCache.backward.__code__.co_firstlineno + 1
    assert {
        "en": f"at backward, line {line}: return dout * self.y * (1 - self.y)",
        "ja": f"backward の {line} 行目: return dout * self.y * (1 - self.y)",
    }[lang] in text
    assert {"en": "store it in forward (self.y = ...)", "ja": "forward の中で self.y = ..."}[
        lang
    ] in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "subject, name",
    [
        (c.SigmoidNaive, "forward"),
        (c.sigmoid_naive, "sigmoid_naive"),
        (lambda: c.SoftmaxWithLoss(stable=False), "forward"),
    ],
)
def test_nan_for_large_finite_inputs_is_found(subject, name, lang):
    result = cr.check(subject() if subject is not c.sigmoid_naive else subject, lang=lang)
    assert result.diagnoses == {name: "nan_for_large"}
    assert {"en": "returns NaN for large inputs (such as", "ja": "大きな入力（"}[lang] in str(
        result
    )
    assert {"en": "np.exp(-np.abs(x))", "ja": "np.exp(-np.abs(x))"}[lang] in str(result)


@pytest.mark.parametrize("subject", [c.SigmoidStable, c.SoftmaxWithLoss, c.TanhExtraArgs])
def test_right_code_is_not_blamed_for_large_inputs_or_its_signature(subject):
    result = cr.check(subject)
    assert result, str(result)


def test_a_bce_without_epsilon_is_told_about_log0_not_about_large_inputs():
    # NaN outside (0, 1) is no bug of its own; NaN for a perfect prediction (0 * log(0)) is
    assert cr.check(c.BCELoss).diagnoses == {"forward": "bce_log0"}


def test_a_loss_whose_backward_takes_an_optional_dout_is_checked_as_a_loss():
    result = cr.check(c.SoftmaxWithLoss(factor=5.0))
    assert result.diagnoses == {"backward": "sum_for_mean"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_parameter_in_the_class_body_is_named_and_the_class_left_alone(lang):
    saved = c.LinearOnTheClass.theta.copy()
    layer = c.LinearOnTheClass()
    result = cr.check(layer, lang=lang)
    assert result.diagnoses == {"theta": "class_attribute"}
    assert {"en": "theta: is a class attribute", "ja": "theta: クラス属性になっています"}[
        lang
    ] in str(result)
    assert "theta" not in vars(layer) and np.array_equal(c.LinearOnTheClass.theta, saved)


def test_float32_code_is_judged_at_float32_precision():
    assert cr.check(c.MSELossFloat32)
    assert cr.check(c.MSELossFloat32(factor=5.0)).diagnoses == {"backward": "sum_for_mean"}
    assert cr.check(c.MSELossFloat32(factor=-1.0)).diagnoses == {"backward": "sign"}


def test_call_in_place_of_forward_is_checked_through_call_and_left_as_it_was():
    layer = c.SigmoidCalled()
    result = cr.check(layer)
    assert result and "backward" in result.checked, str(result)
    assert "forward" not in vars(layer)


@pytest.mark.parametrize("lang", LANGS)
def test_a_forward_returning_a_list_is_named(lang):
    result = cr.check(c.SigmoidList, lang=lang)
    assert result.diagnoses == {"forward": "not_ndarray"}
    assert {
        "en": "returns a list, not a NumPy array",
        "ja": "NumPy の配列ではなく list を返しています",
    }[lang] in str(result)


@pytest.mark.parametrize("lang", LANGS)
def test_a_forward_that_ignores_its_inputs_is_named_not_its_backward(lang):
    result = cr.check(c.TanhCachedOnce, lang=lang)
    assert result.diagnoses == {"forward": "forward_constant"}
    assert {"en": "does not change when its inputs change", "ja": "入力を変えても値が変わりません"}[
        lang
    ] in str(result)


def test_relu_and_tanh_are_compared_with_chainrules_own_forward():
    assert cr.check(c.ReLU)
    assert cr.check(c.TanhExtraArgs, like="Tanh")
    result = cr.check(c.ReLU(floor=1.0))
    assert result.diagnoses["forward"] == "mismatch"
    assert "expected 0, got 1" in str(result)


@pytest.mark.parametrize("lang", LANGS)
def test_a_forward_written_for_one_row_is_named(lang):
    result = cr.check(c.ReLUOneRow, lang=lang)
    assert result.diagnoses == {"forward": "rows_lost"}
    assert {
        "en": "returns shape (1, 1) for inputs of 5 rows",
        "ja": "5 行の入力に対して形 (1, 1) を返しています",
    }[lang] in str(result)


@pytest.mark.parametrize("lang", LANGS)
def test_a_class_that_needs_arguments_is_told_to_pass_an_instance(lang):
    result = cr.check(c.AffineNeedsWeights, lang=lang)
    assert result.diagnoses == {"__init__": "raised"}
    assert "check(AffineNeedsWeights(...))" in str(result)
    built = c.AffineNeedsWeights(np.ones((3, 2)), np.zeros(2))
    assert cr.check(built, lang=lang)
