"""check() on layers written the other textbook's way: no false alarm on right code, bugs named."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.check.messages import LANGS

from . import textbook as t


@pytest.mark.parametrize("make", [t.Affine, t.AffineGradSuffix, t.AffineDict, t.Linear])
def test_a_right_layer_under_any_gradient_spelling_passes(make):
    result = cr.check(make)
    assert result, str(result)
    assert len(result.checked) == 4  # inputs, backward and both parameters' gradients


def test_the_gradient_is_reported_under_the_students_own_name():
    assert {"dW", "db"} <= set(cr.check(t.Affine).checked)
    assert {"W_grad", "b_grad"} <= set(cr.check(t.AffineGradSuffix).checked)
    assert {"grads['W']", "grads['b']"} <= set(cr.check(t.AffineDict).checked)


@pytest.mark.parametrize("lang", LANGS)
def test_db_summed_over_the_wrong_axis_is_a_wrong_shape(lang):
    result = cr.check(t.AffineDbAxis1, lang=lang)
    assert result.diagnoses == {"db": "wrong_shape"}
    assert {"en": "wrong shape: (5,) where (2,) is meant", "ja": "(2,) であるべきところが (5,)"}[
        lang
    ] in str(result)


@pytest.mark.parametrize("lang", LANGS)
def test_dw_from_the_swapped_product_is_transposed(lang):
    result = cr.check(t.AffineSwapped, lang=lang)
    assert result.diagnoses == {"dW": "transposed"}
    assert {"en": "[NG] dW: transposed", "ja": "[NG] dW: 転置"}[lang] in str(result)


def test_a_parameter_in_a_dict_is_checked_and_put_back():
    layer = t.AffineDict(factor=2.0)
    weights = layer.params["W"]
    result = cr.check(layer)
    assert result.diagnoses == {"grads['b']": "factor"}
    assert layer.params["W"] is weights


def test_a_backward_returning_dw_is_named_as_the_parameters_gradient():
    # once only "wrong_shape"; the shape was a symptom, the slip is returning dW itself
    result = cr.check(t.AffineReturnsDW)
    assert result.diagnoses == {"backward": "returns_param_grad"}
    assert "returns dW" in str(result)


def test_a_class_named_linear_with_weight_is_not_taken_for_section_1_1s_line():
    # section 1.1's Linear has a and b; this one has weight and bias and must be judged by itself
    assert cr.check(t.Linear)
    assert cr.check(t.Linear()).checked == cr.check(t.Linear).checked
    assert np.shape(t.Linear().weight) == (2, 3)
