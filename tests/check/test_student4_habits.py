"""Students who did not read the docs: each habit gets a finding that names it, not a crash.

The students' code is in student4.py; right code must pass, in both languages.
"""

import re
import signal

import numpy as np
import pytest

import chainrule as cr
from chainrule.check import messages_habits
from chainrule.check.messages import LANGS

from . import student4 as s


# np.matrix warns that it is deprecated; a student sees the warning, and the test ignores it
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "subject, like",
    [
        (s.Linear2GlobalAlpha, None),
        (s.Linear2GlobalAlpha, "Linear2"),
        (s.SigmoidGlobal, None),
        (s.Linear2Matrix, None),
        (s.Linear2Matrix, "Linear2"),
        (s.TwoLayerNetParams, None),
    ],
)
def test_right_code_in_any_habit_passes(subject, like, lang):
    result = cr.check(subject, like=like, lang=lang)
    assert result, str(result)


def test_a_textbook_layer_with_backward_dout_1_is_checked_as_a_layer():
    assert cr.check(s.TwoLayerNetParams(bug="factor 2")).diagnoses == {"grads['W1']": "factor"}


@pytest.mark.parametrize("lang", LANGS)
def test_an_endless_loop_is_stopped_and_its_line_named(lang):
    before = signal.getsignal(signal.SIGALRM)
    result = cr.check(s.SigmoidLoop, lang=lang, time_limit=0.5)
    assert result.diagnoses == {"backward()": "timed_out"}
    text = str(result)
    line = s.SigmoidLoop.backward.__code__.co_firstlineno + 2
    assert {
        "en": f"in student4.py, at backward, line {line}: while i < 10:",
        "ja": f"student4.py、backward の {line} 行目: while i < 10:",
    }[lang] in text
    assert {"en": "did not finish within 0.5 s", "ja": "0.5 秒たっても終わらなかった"}[lang] in text
    assert "time_limit=120" in text
    # the handler and the timer are put back: nothing fires later
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert cr.check(s.SigmoidGlobal)


@pytest.mark.parametrize("value", [0, -1, "10", True, float("nan")])
def test_a_time_limit_that_is_no_positive_number_is_refused(value):
    with pytest.raises(ValueError, match=r"chainrule.check\(time_limit=.*\): expected a positive"):
        cr.check(s.SigmoidGlobal, time_limit=value)


def test_no_time_limit_is_allowed():
    assert cr.check(s.SigmoidGlobal, time_limit=None)


@pytest.mark.parametrize("lang", LANGS)
def test_what_the_students_code_prints_is_counted_not_shown(lang, capsys):
    result = cr.check(s.SigmoidPrints, lang=lang)
    assert result and result.printed > 10
    assert capsys.readouterr().out == ""
    note = {"en": f"your code printed {result.printed} lines", "ja": f"{result.printed} 行を出力"}
    assert note[lang] in str(result)


@pytest.mark.parametrize("lang", LANGS)
def test_a_layer_reading_the_global_X_is_told_so(lang):
    result = cr.check(s.Linear2ReadsGlobalX, like="Linear2", lang=lang)
    # backward raised before it set grad_theta: that is one finding, not a second "not written"
    assert result.diagnoses == {"backward": "raised"}
    text = str(result)
    assert {"en": "reads the global X (10, 2)", "ja": "グローバル変数 X (10, 2) を読んで"}[
        lang
    ] in text
    assert "student4.py" in text


@pytest.mark.parametrize("lang", LANGS)
def test_a_backward_returning_a_tuple_is_one_finding_and_its_gradient_still_checked(lang):
    result = cr.check(s.Linear2Tuple, like="Linear2", lang=lang)
    assert result.diagnoses == {"backward": "returns_tuple"}
    assert "grad_theta" in result.checked
    assert {"en": "a tuple of length 2", "ja": "長さ 2 のタプル"}[lang] in str(result)


@pytest.mark.parametrize(
    "subject, like, diagnoses",
    [
        (s.SigmoidEllipsis, None, {"backward": "not_written"}),
        (s.MSELossEllipsis, None, {"backward": "not_written"}),
        (s.Linear3Ellipsis, None, {"theta": "not_written"}),
        (s.Linear3Ellipsis, "Linear3", {"theta": "not_written"}),
        (s.LinearWriteHere, "Linear", {"forward": "not_written"}),
        (s.MSELossBlank, None, {"forward": "not_written"}),
    ],
)
def test_blanks_left_as_ellipsis_or_write_here_are_not_written_yet(subject, like, diagnoses):
    result = cr.check(subject, like=like)
    assert result.diagnoses == diagnoses
    if subject is s.Linear3Ellipsis and like is None:
        # forward failed on the blank theta, not on its own code: it is not listed as right
        assert "forward" not in result.checked


@pytest.mark.parametrize("lang", LANGS)
def test_a_blank_set_in_forward_and_returned_by_backward_is_pointed_at(lang):
    text = str(cr.check(s.MSELossEllipsis, lang=lang))
    assert {
        "en": "it returns self.grad, which is still empty",
        "ja": "self.grad を返していますが、まだ空です",
    }[lang] in text


@pytest.mark.parametrize("lang", LANGS)
def test_a_layer_written_as_functions_is_not_called_a_broken_loss(lang):
    result = cr.check(s.linear_forward, lang=lang)
    assert result.diagnoses == {"linear_forward": "not_a_loss"}
    assert "x, theta" in str(result) and "(5, 5)" in str(result)
    result = cr.check(s.linear_backward, lang=lang)
    assert result.diagnoses == {"linear_backward": "too_many_arguments"}
    assert "grad, x, theta" in str(result)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "subject, hint",
    [
        (s.MyLinearRegression, "least_squares(X, y)"),
        (s.MyLinearRegression(), "least_squares(X, y)"),
        (s.Value, "(f(x + h) - f(x - h)) / (2 * h)"),
        (s.Value(2.0), "(f(x + h) - f(x - h)) / (2 * h)"),
    ],
)
def test_classes_with_no_forward_get_a_finding_not_a_traceback(subject, hint, lang):
    result = cr.check(subject, lang=lang)
    assert list(result.diagnoses.values()) == ["no_forward"]
    assert hint in str(result)


def test_an_object_with_nothing_to_call_is_a_finding():
    result = cr.check(object())
    assert result.diagnoses == {"object": "no_forward"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_flipped_sign_comes_with_where_to_look(lang):
    result = cr.check(s.SigmoidSignBug, lang=lang)
    assert result.diagnoses == {"backward": "sign"}
    assert {"en": "order of a subtraction", "ja": "引き算の順番"}[lang] in str(result)


def test_every_new_message_is_in_both_languages_and_the_japanese_is_japanese():
    for table in (messages_habits.DIAGNOSES, messages_habits.HINTS, messages_habits.TEXT):
        for key, texts in table.items():
            assert set(texts) == set(LANGS), key
            assert re.search(r"[\u3040-\u30ff]", texts["ja"]), key
            assert not re.search(r"[\u3040-\u30ff]", texts["en"]), key


def test_check_leaves_numpys_global_generator_and_the_students_arrays_alone():
    state = np.random.get_state()[1].copy()
    layer = s.Linear2Tuple()
    theta = layer.theta.copy()
    cr.check(layer, time_limit=5)
    assert np.array_equal(np.random.get_state()[1], state)
    assert np.array_equal(layer.theta, theta)


def test_a_timer_set_before_check_is_put_back_with_what_it_had_left():
    fired = []
    before = signal.signal(signal.SIGALRM, lambda *args: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 50.0)
        cr.check(s.SigmoidGlobal, time_limit=5)
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < left <= 50.0 and not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "subject, like, words",
    [
        (s.MSELossEllipsis, "Sigmoid", "takes targets too"),
        (s.SigmoidGlobal, "MSELoss", "takes the inputs alone"),
        (s.linear_forward, "Linear2", "the function linear_forward"),
    ],
)
def test_a_like_of_another_kind_is_refused_in_the_house_template(subject, like, words, lang):
    with pytest.raises(ValueError, match=rf"^chainrule.check\(like='{like}'\): ") as caught:
        cr.check(subject, like=like, lang=lang)
    message = str(caught.value)
    assert {"en": words, "ja": "like="}[lang] in message
    assert {"en": "\nHint: pass the like= of what", "ja": "\nヒント: "}[lang] in message


def test_inputs_of_another_width_get_targets_of_their_shape():
    inputs = np.random.default_rng(1).uniform(0.1, 0.9, size=(3, 1))
    assert cr.check(s.BCELoss, inputs=inputs)
    # two columns: the notebook's / len(inputs) divides by 3 rows where np.mean divides by 6
    result = cr.check(s.BCELoss, inputs=np.hstack([inputs, 1 - inputs]))
    assert result.diagnoses == {"backward": "factor"} and result.findings[0].factor == 2
