"""Build the exercise notebooks as nbformat-4 JSON, with nbgrader's cell metadata.

The teacher's notebook is nbgrader's *source* notebook: each answer sits between
``### BEGIN SOLUTION`` and ``### END SOLUTION``, so ``nbgrader generate_assignment`` can
make its own student version; the student notebook chainrule writes has the seed's blanks
instead. Check cells are nbgrader autograded tests with points; they are tagged
``raises-exception`` so that a notebook with blanks still runs to its end.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import code
from .text import TEXT

# (section text, blank cell, the check it is graded by, points); None for a cell with no blank
SECTIONS = [
    ("linear", code.LINEAR, 'check(Linear(a_init=2, b_init=3), like="Linear"{lang})', 1),
    ("loss_mse", code.LOSS_MSE, 'check(loss_MSE, like="loss_MSE"{lang})', 1),
    ("mse_loss", code.MSE_LOSS, 'check(MSELoss, like="MSELoss"{lang})', 2),
    ("linear2", code.LINEAR2, 'check(Linear2, like="Linear2"{lang})', 3),
    ("train_regression", code.TRAIN_REGRESSION, None, 0),
    ("sigmoid", code.SIGMOID_FUNCTION, 'check(sigmoid, like="sigmoid"{lang})', 1),
    ("sigmoid_grad", code.SIGMOID_GRAD, "check(sigmoid_grad, derivative_of=sigmoid{lang})", 1),
    ("linear3", code.LINEAR3, 'check(Linear3, like="Linear3"{lang})', 2),
    ("sigmoid_layer", code.SIGMOID_LAYER, 'check(Sigmoid, like="Sigmoid"{lang})', 2),
    ("bce_loss", code.BCE_LOSS, 'check(BCELoss, like="BCELoss"{lang})', 2),
    ("train_classification", code.TRAIN_CLASSIFICATION, None, 0),
]


def build(lang: str, solution: bool) -> dict:
    """One notebook as a JSON-ready dict: the student's (blanks) or the teacher's (answers)."""
    counter = iter(range(1000))
    cells = [
        _markdown(TEXT["title"][lang], f"title-{next(counter)}"),
        _code(code.localize(code.SETUP, lang), "setup", locked=True),
    ]
    for key, body, check, points in SECTIONS:
        cells.append(_markdown(TEXT[key][lang], f"{key}-text"))
        if check is None:
            cells.append(_code(code.localize(body, lang), key, locked=True))
            continue
        cells.append(_code(code.localize(code.render(body, solution), lang), key, solution=True))
        call = check.format(lang=f', lang="{lang}"' if lang != "en" else "")
        # the findings go into the assertion too: nbgrader's Validate shows only the error
        retry = TEXT["retry"][lang]
        test = f'result = {call}\nprint(result)\nassert result, "{retry}\\n" + result.failures()'
        cells.append(_code(test, f"check-{key}", grade=True, points=points, locked=True))
    cells.append(_markdown(TEXT["end"][lang], "end-text"))
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def file_names(lang: str) -> tuple[str, str]:
    """The student's notebook and the teacher's, as ``write`` names them."""
    return f"exercises_{lang}.ipynb", f"exercises_{lang}_solution.ipynb"


def write(folder: str | Path, lang: str) -> list[Path]:
    """Write exercises_<lang>.ipynb (blanks) and exercises_<lang>_solution.ipynb (answers)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for solution, name in zip((False, True), file_names(lang)):
        path = folder / name
        path.write_text(
            json.dumps(build(lang, solution), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        paths.append(path)
    return paths


def _nbgrader(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return meta


def _markdown(source: str, grade_id: str) -> dict:
    return {
        "cell_type": "markdown",
        "id": grade_id,
        "metadata": {"nbgrader": _nbgrader(grade_id, locked=True)},
        "source": source,
    }


def _code(
    source: str, grade_id: str, *, solution=False, grade=False, locked=False, points=None
) -> dict:
    metadata = {
        "nbgrader": _nbgrader(
            grade_id, solution=solution, grade=grade, locked=locked, points=points
        )
    }
    if grade:
        metadata["tags"] = ["raises-exception"]
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": grade_id,
        "metadata": metadata,
        "outputs": [],
        "source": source,
    }
