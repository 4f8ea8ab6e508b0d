"""A class of students' submissions (tests/check/students/, one file each) against chainrule.check.

Each file holds what one student wrote for one of the notebook's cells and, in EXPECT, the verdict
it must get, the diagnosis of every wrong quantity, and a phrase the English and the Japanese
report must contain. No right answer may fail, no wrong one pass, and no report may show a
traceback in place of the point. The files are loaded by path, as a notebook's cells are not a
package: an error's line is then reported in the student's own file.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import chainrule as cr

STUDENTS = sorted((Path(__file__).parent / "students").glob("s*.py"))


def load(path: Path):
    spec = importlib.util.spec_from_file_location(f"student_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_class_is_at_least_sixty_students_right_and_wrong():
    verdicts = [load(path).EXPECT["ok"] for path in STUDENTS]
    assert len(verdicts) >= 60
    assert sum(verdicts) >= 25 and len(verdicts) - sum(verdicts) >= 35


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("path", STUDENTS, ids=[path.stem for path in STUDENTS])
def test_each_submission_gets_its_verdict_and_its_diagnosis(path, lang):
    expect = load(path).EXPECT
    module = load(path)  # a fresh module: no state from another run
    subject = getattr(module, expect["subject"])
    if "build" in expect:
        subject = subject(**expect["build"])
    # sigmoid_grad is checked as the notebook's exercise checks it: against the student's sigmoid
    derivative_of = getattr(module, expect["derivative_of"]) if "derivative_of" in expect else None
    result = cr.check(
        subject,
        like=expect["like"],
        derivative_of=derivative_of,
        lang=lang,
        time_limit=expect.get("time_limit", 30.0),
    )
    text = str(result)
    assert bool(result) is expect["ok"], text
    assert "Traceback" not in text and 'File "' not in text, text
    if expect["ok"]:
        assert ": OK" in text.splitlines()[0], text
        return
    assert result.diagnoses == expect["diagnoses"], text
    assert expect[lang] in text, text


class _Slope:
    """Section 1.1's line with its own names for a and b: check cannot read them."""

    def __init__(self):
        self.slope, self.intercept = 2.0, 3.0

    def forward(self, x):
        return self.intercept * x + self.slope


def test_a_forward_that_like_cannot_read_is_labelled_as_only_run_never_right():
    result = cr.check(_Slope(), like="Linear")
    assert result.ran == ["forward"] and "nothing to compare them with" in str(result)
    assert "right" not in str(result).split("forward:")[1].split("\n")[0]


def test_a_keyword_only_derivative_is_called_by_name():
    def sigmoid(*, x):
        return 1 / (1 + np.exp(-x))

    def sigmoid_grad(*, x):
        return sigmoid(x=x) * (1 - sigmoid(x=x))

    assert cr.check(sigmoid_grad, derivative_of=sigmoid)
    wrong = cr.check(lambda x: sigmoid(x=x), derivative_of=sigmoid)
    assert wrong.diagnoses == {"<lambda>": "sigmoid_grad_is_f"}, str(wrong)
