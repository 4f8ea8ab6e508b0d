"""chainrule.check on the notebook's blanks: right fills pass, each planted bug gets its diagnosis."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.check import Finding, Result

from . import students as s

LANGS = ["en", "ja"]

# (object factory, like, the quantity that is wrong, the diagnosis, words in en, words in ja)
PLANTED = [
    ("factor 2", lambda: s.Linear2(bug="double"), "grad_theta", "factor", "factor 2", "2 倍"),
    ("factor 0.5", lambda: s.Linear2(bug="half"), "grad_theta", "factor", "factor 0.5", "0.5 倍"),
    ("sign", lambda: s.Linear2(bug="sign"), "grad_theta", "sign", "sign flipped", "符号が逆"),
    (
        "transposed",
        lambda: s.Linear2(bug="transposed"),
        "backward",
        "transposed",
        "transposed",
        "転置",
    ),
    (
        "upstream ignored",
        lambda: s.Linear2(bug="upstream"),
        "grad_theta",
        "upstream_ignored",
        "ignores the upstream gradient",
        "grad を掛けていません",
    ),
    (
        "upstream ignored, Sigmoid",
        lambda: s.Sigmoid(bug="upstream"),
        "backward",
        "upstream_ignored",
        "ignores the upstream gradient",
        "grad を掛けていません",
    ),
    (
        "sum for mean",
        lambda: s.MSELoss(bug="sum"),
        "backward",
        "sum_for_mean",
        "sum where a mean is meant: factor N = 5",
        "和をとっています",
    ),
    (
        "sum for mean, BCE",
        lambda: s.BCELoss(bug="sum"),
        "backward",
        "sum_for_mean",
        "sum where a mean is meant",
        "和をとっています",
    ),
    (
        "factor 0.5, MSE",
        lambda: s.MSELoss(bug="half"),
        "backward",
        "factor",
        "factor 0.5",
        "0.5 倍",
    ),
    ("sign, MSE", lambda: s.MSELoss(bug="sign"), "backward", "sign", "sign flipped", "符号が逆"),
    (
        "wrong shape",
        lambda: s.Linear2(bug="shape"),
        "grad_theta",
        "wrong_shape",
        "wrong shape: (2,) where (1, 2) is meant",
        "(1, 2) であるべきところが (2,)",
    ),
    (
        "transposed grad_theta",
        lambda: s.Linear2(bug="transposed_theta"),
        "grad_theta",
        "transposed",
        "transposed",
        "転置",
    ),
    (
        "forward shape",
        lambda: s.Linear2(bug="forward_shape"),
        "forward",
        "forward_shape",
        "forward returns the wrong shape: (5,) where (5, 1) is meant",
        "forward の戻り値の形が違います",
    ),
    (
        "overwrites inputs",
        lambda: s.Linear2(bug="overwrite"),
        "inputs",
        "overwrites_inputs",
        "forward overwrites its inputs",
        "inputs を書き換えています",
    ),
    (
        "update static",
        lambda: s.Linear2(bug="no_update"),
        "update",
        "update_static",
        "update() does not move the parameters",
        "パラメータが変化していません",
    ),
    (
        "update uphill",
        lambda: s.Linear2(bug="uphill"),
        "update",
        "update_uphill",
        "uphill",
        "損失が増える向き",
    ),
    (
        "blank",
        lambda: s.MSELoss(bug="blank"),
        "backward",
        "not_written",
        "not written yet",
        "まだ書かれていません",
    ),
]


@pytest.mark.parametrize(
    "make",
    [
        lambda: s.loss_MSE,
        lambda: s.MSELoss(),
        lambda: s.Linear2(),
        lambda: s.Linear3(),
        lambda: s.sigmoid,
        lambda: s.Sigmoid(),
        lambda: s.BCELoss(),
    ],
    ids=["loss_MSE", "MSELoss", "Linear2", "Linear3", "sigmoid", "Sigmoid", "BCELoss"],
)
def test_a_right_fill_of_each_blank_passes(make):
    result = cr.check(make())
    assert bool(result) and result.ok and result.findings == []
    assert "OK" in str(result) and len(result.checked) >= 1


def test_the_sigmoid_derivative_is_checked_against_its_function():
    assert cr.check(s.sigmoid_grad, derivative_of=s.sigmoid)
    wrong = cr.check(lambda x: s.sigmoid(x) * (1 + s.sigmoid(x)), derivative_of=s.sigmoid)
    assert not wrong and wrong.findings[0].diagnosis == "mismatch"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", PLANTED, ids=[case[0] for case in PLANTED])
def test_each_planted_bug_gets_its_diagnosis(case, lang):
    _, make, name, diagnosis, english, japanese = case
    result = cr.check(make(), lang=lang)
    assert not result
    assert result.diagnoses[name] == diagnosis
    # named by the student's own name: grad_theta, backward, inputs, update()
    (line,) = [
        line
        for line in str(result).splitlines()
        if line.startswith(f"  [NG] {name}")
        or "[NG]" in line
        and f"{name} " in line
        and name in ("backward", "forward")
    ]
    assert (english if lang == "en" else japanese) in line


def test_the_half_bug_is_caught_although_training_would_hide_it():
    finding = cr.check(s.Linear2(bug="half")).findings[0]
    assert finding.name == "grad_theta" and finding.factor == 0.5
    assert finding.worst_received == pytest.approx(0.5 * finding.worst_expected)
    assert finding.n_wrong == finding.n_total == 2


def test_every_wrong_quantity_is_reported_not_just_the_first():
    result = cr.check(s.Linear2(bug="blank"))
    assert result.diagnoses == {"backward": "not_written", "grad_theta": "not_written"}


def test_check_draws_nothing_from_numpys_global_generator():
    state = np.random.get_state()[1].copy()
    cr.check(s.Linear2(bug="half"))
    assert np.array_equal(np.random.get_state()[1], state)


def test_the_students_object_is_left_as_it_was():
    layer = s.Linear2(bug="uphill")
    theta = layer.theta
    saved = theta.copy()
    cr.check(layer)
    assert layer.theta is theta and np.array_equal(theta, saved)


def test_inputs_and_targets_given_by_the_student_are_used_and_not_changed():
    X = np.concatenate([np.ones((10, 1)), np.linspace(0, 5, 10)[:, None]], axis=1)
    before = X.copy()
    assert cr.check(s.Linear2(), inputs=X, like="Linear2")
    assert np.array_equal(X, before)
    result = cr.check(s.MSELoss(bug="sum"), inputs=X[:, 1:], targets=2 * X[:, 1:] + 3)
    assert result.findings[0].factor == 10


def test_the_forward_is_compared_with_chainrules_own_under_like():
    wrong = cr.check(s.loss_MSE_sum, like="loss_MSE")
    assert wrong.diagnoses == {"loss_MSE_sum": "sum_for_mean"}
    expected = float(np.mean((np.arange(3.0) - 1) ** 2))
    finding = cr.check(
        lambda p, t: 0.0, like="loss_MSE", inputs=np.arange(3.0)[:, None], targets=np.ones((3, 1))
    ).findings[0]
    assert finding.worst_expected == pytest.approx(expected)


def test_a_student_error_is_a_finding_not_a_crash():
    class Broken(s.Linear2):
        def backward(self, grad):
            raise IndexError("tuple index out of range")

    result = cr.check(Broken())
    assert result.diagnoses["backward"] == "raised"
    assert "IndexError: tuple index out of range" in str(result)


def test_the_result_is_data_and_renders_in_jupyter():
    result = cr.check(s.Sigmoid(bug="double"), lang="ja")
    assert isinstance(result, Result) and isinstance(result.findings[0], Finding)
    assert result.findings[0].factor == 2 and result.findings[0].worst_index is not None
    page = result._repr_html_()
    assert "<pre" in page and "2 倍" in page and "#cf222e" in page
    assert "#1a7f37" in cr.check(s.Sigmoid())._repr_html_()


def test_unknown_like_and_lang_are_errors_in_the_house_template():
    with pytest.raises(ValueError, match=r"chainrule.check\(like='Linear9'\): expected one of"):
        cr.check(s.Linear2(), like="Linear9")
    with pytest.raises(ValueError, match=r"chainrule.check\(lang='fr'\): expected one of"):
        cr.check(s.Linear2(), lang="fr")


def test_a_class_is_built_by_check_so_a_blank_init_is_a_finding():
    class Blank(s.Linear3):
        def __init__(self):
            raise NotImplementedError()

    assert cr.check(s.Linear3, like="Linear3")
    assert cr.check(Blank, like="Linear3", lang="ja").diagnoses == {"__init__": "not_written"}


@pytest.mark.parametrize("like", ["Linear2", None])
def test_an_integer_theta_is_a_finding_and_the_rest_is_still_checked(like):
    layer = s.Linear2(bug="double")
    layer.theta = np.array([[1, 2]])
    result = cr.check(layer, like=like)
    assert not result
    assert result.diagnoses["theta"] == "param_integer"
    assert result.diagnoses["grad_theta"] == "factor"  # checked on a float64 copy of theta
    assert "theta: is an integer array (int64)" in str(result)
    assert "use floats" in str(result)
    assert layer.theta.dtype == np.int64 and layer.theta.tolist() == [[1, 2]]  # put back untouched
    right = s.Linear2()
    right.theta = np.array([[1, 2]])
    assert cr.check(right, like=like).diagnoses == {"theta": "param_integer"}


@pytest.mark.parametrize(
    "lang, words", [("en", "is a complex array (complex128)"), ("ja", "複素数の配列")]
)
def test_a_complex_theta_is_refused_with_a_finding(lang, words):
    layer = s.Linear2()
    layer.theta = layer.theta.astype(complex)
    result = cr.check(layer, like="Linear2", lang=lang)
    assert not result
    assert result.diagnoses == {"theta": "param_complex"}
    assert words in str(result)
    assert layer.theta.dtype == np.complex128
