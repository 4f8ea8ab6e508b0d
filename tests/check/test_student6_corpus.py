"""A class of students' submissions (tests/check/students/, one file each) against chainrule.check.

Each file holds what one student wrote for one of the notebook's cells and, in EXPECT, the verdict
it must get, the diagnosis of every wrong quantity, and a phrase the English and the Japanese
report must contain. No right answer may fail, no wrong one pass, and no report may show a
traceback in place of the point. The files are loaded by path, as a notebook's cells are not a
package: an error's line is then reported in the student's own file.
"""

import importlib.util
from pathlib import Path

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
    subject = getattr(load(path), expect["subject"])  # a fresh module: no state from another run
    if "build" in expect:
        subject = subject(**expect["build"])
    result = cr.check(
        subject, like=expect["like"], lang=lang, time_limit=expect.get("time_limit", 30.0)
    )
    text = str(result)
    assert bool(result) is expect["ok"], text
    assert "Traceback" not in text and 'File "' not in text, text
    if expect["ok"]:
        assert ": OK" in text.splitlines()[0], text
        return
    assert result.diagnoses == expect["diagnoses"], text
    assert expect[lang] in text, text
