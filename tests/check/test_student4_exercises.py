"""The autograder's path: nbgrader's student version (each answer replaced by
``raise NotImplementedError()``) run cell by cell, as a student would run it before writing anything."""

import contextlib
import io
import re

import pytest

from chainrule.exercises import build

_SOLUTION = re.compile(r"( *)### BEGIN SOLUTION\n.*?\n *### END SOLUTION", re.S)


def _run_cells(lang: str) -> dict[str, str]:
    """What each code cell printed, by its grade_id, with nbgrader's blanks in place."""
    namespace: dict = {}
    printed = {}
    for cell in build(lang, solution=True)["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = _SOLUTION.sub(lambda m: m.group(1) + "raise NotImplementedError()", cell["source"])
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            try:
                exec(compile(source, f"<cell {cell['id']}>", "exec"), namespace)
            except AssertionError:  # a check cell whose check failed: the notebook goes on
                pass
        printed[cell["id"]] = out.getvalue()
    return printed


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_nbgraders_blanks_are_named_where_they_are_and_training_says_it_waits(lang):
    printed = _run_cells(lang)
    # MSELoss.forward is blank itself: the blank loss_MSE it would call is not blamed for it
    mse = printed["check-mse_loss"]
    assert {
        "en": "the return value of forward: not written yet",
        "ja": "forward の戻り値: まだ書かれていません",
    }[lang] in mse
    assert "loss_MSE" not in mse
    assert {
        "en": "training starts once check(MSELoss) and check(Linear2) pass",
        "ja": "check(MSELoss) と check(Linear2) が通ると学習が始まります",
    }[lang] in printed["train_regression"]
    assert {"en": "training starts once check(BCELoss)", "ja": "check(BCELoss)、check(Sigmoid)"}[
        lang
    ] in printed["train_classification"]
    for output in printed.values():
        assert "Traceback" not in output
