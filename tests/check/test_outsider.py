"""An outside student's misses, false alarms and misleading messages, each now told right in en and ja."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.check import messages
from chainrule.check.diagnose import compare

from . import outsider as o
from . import students as s

LANGS = ["en", "ja"]


def ng_line(result, name: str) -> str:
    (line,) = [line for line in str(result).splitlines() if line.startswith(f"  [NG] {name}:")]
    return line


@pytest.mark.parametrize("lang", LANGS)
def test_a_function_that_changes_its_argument_in_place_is_caught(lang):
    result = cr.check(o.sigmoid_in_place, like="sigmoid", lang=lang)
    assert result.diagnoses == {"x": "overwrites_argument"}
    words = {
        "en": "sigmoid_in_place overwrites this argument",
        "ja": "sigmoid_in_place が受け取った配列を書き換えています",
    }
    assert words[lang] in ng_line(result, "x")
    loss = cr.check(o.loss_MSE_in_place, like="loss_MSE", lang=lang)
    assert loss.diagnoses == {"inputs": "overwrites_argument"}
    assert "loss_MSE_in_place" in ng_line(loss, "inputs")


def test_a_right_function_is_said_to_leave_its_argument_alone():
    assert "  [ok] x: not overwritten" in str(cr.check(s.sigmoid)).splitlines()
    assert (
        "  [ok] inputs: 書き換えられていません"
        in str(cr.check(s.Linear2(), lang="ja")).splitlines()
    )


@pytest.mark.parametrize("lang", LANGS)
def test_parameters_are_found_when_backward_creates_their_gradient(lang):
    result = cr.check(o.Linear2Double, like="Linear2", lang=lang)
    assert result.diagnoses == {"grad_theta": "factor"}
    assert {"en": "factor 2", "ja": "2 倍"}[lang] in ng_line(result, "grad_theta")
    own = cr.check(o.LayerW, lang=lang)
    assert own.diagnoses == {"grad_W": "factor"} and "update" in own.checked
    assert cr.check(o.Linear2, like="Linear2")


@pytest.mark.parametrize("lang", LANGS)
def test_a_softmax_cross_entropy_is_checked_over_several_classes(lang):
    result = cr.check(o.SoftmaxCrossEntropyMinus7, lang=lang)
    assert result.diagnoses == {"backward": "factor"} and result.findings[0].factor == -7
    assert {"en": "factor -7", "ja": "-7 倍"}[lang] in ng_line(
        result, messages.quantity("backward", lang)
    )
    assert cr.check(o.SoftmaxCrossEntropy, lang=lang)


def test_integer_labels_stay_integers_and_a_failed_forward_does_not_blame_backward():
    rng = np.random.default_rng(0)
    X, labels = rng.normal(size=(5, 3)), rng.integers(0, 3, 5)
    assert cr.check(o.SoftmaxCrossEntropyLabels, X, labels)
    assert cr.check(o.SoftmaxCrossEntropyLabels)  # default inputs: (N, C) with integer labels
    broken = cr.check(o.SoftmaxCrossEntropyLabels, X, labels.astype(np.float64))
    assert broken.diagnoses == {
        "forward": "raised"
    }  # the student's own float labels: backward untouched


def test_a_right_layer_under_its_own_name_gets_inputs_of_the_width_theta_implies():
    result = cr.check(o.PlaneLayer, lang="ja")
    assert result and "grad_theta" in result.checked


@pytest.mark.parametrize("lang", LANGS)
def test_theta_of_another_shape_than_like_says_is_named_first(lang):
    result = cr.check(o.Linear2Column, like="Linear2", lang=lang)
    assert result.diagnoses == {"theta": "param_shape"}
    line = ng_line(result, "theta")
    assert {
        "en": "wrong shape: (2, 1) where Linear2 keeps (1, 2)",
        "ja": "形が違います: Linear2 では (1, 2) ですが、(2, 1) になっています",
    }[lang] in line
    assert "正しい形は" not in str(result) and "expected shape" not in str(result)
    for shape in [(3, 1), (1, 2)]:
        wrong = cr.check(o.PlaneLayer(theta_shape=shape), like="Linear3", lang=lang)
        assert wrong.diagnoses == {"theta": "param_shape"} and "(1, 3)" in ng_line(wrong, "theta")
    assert (
        "  [ok] theta: the notebook's shape"
        in str(cr.check(o.PlaneLayer, like="Linear3")).splitlines()
    )


@pytest.mark.parametrize("lang", LANGS)
def test_a_scalar_or_an_odd_ratio_is_wrong_values_not_a_factor(lang):
    result = cr.check(o.loss_MSE_square_of_mean, like="loss_MSE", lang=lang)
    assert result.diagnoses == {"loss_MSE_square_of_mean": "mismatch"}
    assert {"en": "wrong values", "ja": "値が違います"}[lang] in ng_line(
        result, "loss_MSE_square_of_mean"
    )
    expected = np.array([1.0, -2.0, 3.0])
    assert compare(2.0, np.array(1.0)).diagnosis == "mismatch"
    assert compare(0.0114057 * expected, expected).diagnosis == "mismatch"
    assert compare(2 * expected, expected).diagnosis == "factor"
    assert (
        compare(expected * [1, 2, 1], expected).diagnosis == "mismatch"
    )  # not the same ratio everywhere


@pytest.mark.parametrize("lang", LANGS)
def test_a_gradient_divided_by_n_is_a_mean_where_a_sum_is_meant(lang):
    result = cr.check(o.Linear2OverN, like="Linear2", lang=lang)
    assert result.diagnoses == {"grad_theta": "mean_for_sum"}
    assert {
        "en": "mean where a sum is meant: factor 1/N = 0.2",
        "ja": "和をとるべきところで平均をとっています（1/N = 0.2 倍になっています）",
    }[lang] in ng_line(result, "grad_theta")


@pytest.mark.parametrize("lang", LANGS)
def test_a_gradient_under_another_name_is_reported_as_the_missing_attribute(lang):
    result = cr.check(o.Linear2DTheta, like="Linear2", lang=lang)
    assert result.diagnoses["grad_theta"] == "grad_missing"
    assert {
        "en": "backward did not set the attribute grad_theta; it set d_theta",
        "ja": "backward が属性 grad_theta を設定していません（設定されたのは d_theta）",
    }[lang] in ng_line(result, "grad_theta")


@pytest.mark.parametrize("lang", LANGS)
def test_a_blank_function_called_by_a_layer_is_named_not_the_layers_forward(lang):
    result = cr.check(o.Sigmoid, like="Sigmoid", lang=lang)
    assert result.diagnoses == {"sigmoid": "not_written"}
    assert messages.say("not_written", lang) in ng_line(result, "sigmoid")


@pytest.mark.parametrize("lang", LANGS)
def test_a_wrong_sigmoid_derivative_gets_a_hint(lang):
    result = cr.check(
        lambda x: s.sigmoid(x) * (1 + s.sigmoid(x)), derivative_of=s.sigmoid, lang=lang
    )
    assert result.findings[0].diagnosis == "mismatch"
    assert {"en": "f(x) * (1 - f(x))", "ja": "シグモイドの微分は f(x) * (1 - f(x))"}[lang] in str(
        result
    )


def test_a_transposed_column_gradient_is_called_transposed():
    result = cr.check(s.Linear2(bug="transposed_theta"), lang="ja")
    assert result.diagnoses == {"grad_theta": "transposed"} and "転置" in ng_line(
        result, "grad_theta"
    )


def test_an_unknown_like_is_told_in_japanese_under_lang_ja():
    with pytest.raises(
        ValueError, match=r"chainrule.check\(like='Softmax'\): like に指定できるのは"
    ):
        cr.check(s.Sigmoid(), like="Softmax", lang="ja")


def test_the_headline_counts_in_good_english_and_japanese():
    assert (
        str(cr.check(s.sigmoid_grad, derivative_of=s.sigmoid)).splitlines()[0]
        == "check(sigmoid_grad): OK, the 1 check passed"
    )
    assert (
        str(cr.check(s.sigmoid_grad, derivative_of=s.sigmoid, lang="ja")).splitlines()[0]
        == "check(sigmoid_grad): OK（1 項目中 1 項目が正しい）"
    )
    wrong = cr.check(lambda x: 2 * s.sigmoid_grad(x), derivative_of=s.sigmoid)
    assert str(wrong).splitlines()[0] == "check(<lambda>): 1 of 1 check failed"


def test_the_japanese_wording_the_student_suggested():
    text = str(cr.check(s.MSELoss(bug="sum"), lang="ja"))
    assert "（データ数 N = 5 倍になっています）" in text
    assert "ヒント: 連鎖律により、この層自身の微分に grad を掛けましょう。" in str(
        cr.check(s.Sigmoid(bug="upstream"), lang="ja")
    )
    shape = str(cr.check(s.Linear2(bug="shape"), lang="ja"))
    assert "形が違います" in shape and "正しい形は" not in shape
