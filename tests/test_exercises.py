"""The exercise notebooks run: solutions pass every check, blanks say "not written yet", a bug is named.

They are also held to nbgrader itself: its metadata validator accepts every cell, and the
student notebook nbgrader generates from the teacher's (ClearSolutions) runs to the end too.
"""

import json
import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import chainrule
from chainrule.cli.main import main
from chainrule.exercises import SECTIONS, build

NOT_WRITTEN = {"en": "not written yet", "ja": "まだ書かれていません"}
CHECKED = [key for key, _, check, _ in SECTIONS if check is not None]


def run(notebook: dict, tmp_path) -> list[str]:
    """Execute; return each check cell's printed report, in order."""
    nb = nbformat.from_dict(json.loads(json.dumps(notebook)))
    # the kernel must import the chainrule under test, not whichever one is installed
    source = str(Path(chainrule.__file__).resolve().parents[1])
    os.environ["PYTHONPATH"] = os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    reports = []
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata["nbgrader"].get("grade"):
            reports.append(
                "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            )
    return reports


def errors(notebook) -> list[str]:
    return [
        o["ename"]
        for c in notebook["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_solution_notebook_passes_every_check(lang, tmp_path):
    reports = run(build(lang, solution=True), tmp_path)
    assert len(reports) == len(CHECKED) == 9
    assert all(
        report.startswith("check(") and ": OK" in report.splitlines()[0] for report in reports
    ), reports


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_blank_notebook_runs_to_the_end_saying_not_written_yet(lang, tmp_path):
    reports = run(build(lang, solution=False), tmp_path)
    assert len(reports) == len(CHECKED)
    for report in reports:
        wrong = [line for line in report.splitlines() if "[NG]" in line]
        assert wrong and all(NOT_WRITTEN[lang] in line for line in wrong), report


def test_a_planted_bug_is_reported_and_nothing_else(tmp_path):
    notebook = build("en", solution=True)
    (cell,) = [c for c in notebook["cells"] if c["id"] == "mse_loss"]
    cell["source"] = cell["source"].replace("/ len(inputs)", "")  # sum where a mean is meant
    reports = dict(zip(CHECKED, run(notebook, tmp_path)))
    assert [key for key, report in reports.items() if ": OK, " not in report] == ["mse_loss"]
    wrong = [line for line in reports["mse_loss"].splitlines() if "[NG]" in line]
    assert wrong == [
        "  [NG] the return value of backward (dL/d(inputs)): "
        "sum where a mean is meant: factor N = 5"
    ]


def test_re_running_a_training_cell_gives_the_same_numbers(tmp_path):
    notebook = build("en", solution=True)
    cells = notebook["cells"]
    for key in ("train_regression", "train_classification"):
        (cell,) = [c for c in cells if c["id"] == key]
        again = json.loads(json.dumps(cell))
        again["id"] = key + "-again"
        again["metadata"]["nbgrader"]["grade_id"] = key + "-again"
        cells.insert(cells.index(cell) + 1, again)
    nb = nbformat.from_dict(notebook)
    source = str(Path(chainrule.__file__).resolve().parents[1])
    os.environ["PYTHONPATH"] = os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    printed = {
        c.id: "".join(o.get("text", "") for o in c.outputs)
        for c in nb.cells
        if c.cell_type == "code"
    }
    for key in ("train_regression", "train_classification"):
        assert printed[key].startswith("loss:") and printed[key] == printed[key + "-again"]


def test_the_japanese_notebook_comments_and_labels_are_japanese():
    japanese = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")
    for solution in (False, True):
        code = [c["source"] for c in build("ja", solution)["cells"] if c["cell_type"] == "code"]
        comments = [
            line.split("#", 1)[1] for source in code for line in source.splitlines() if "#" in line
        ]
        comments = [c for c in comments if "WRITE HERE" not in c and "SOLUTION" not in c]
        assert len(comments) >= 8 and all(japanese.search(c) for c in comments), comments
        printed = "".join(code)
        for label in ('"loss:"', '"least squares:', '"test accuracy:'):
            assert label not in printed
        assert '"損失:"' in printed and "最小二乗法" in printed and "正解率" in printed
    english = "".join(c["source"] for c in build("en", True)["cells"] if c["cell_type"] == "code")
    assert japanese.search(english) is None


def test_the_blanks_are_numpy_for_the_student_to_write_not_chainrule_calls():
    student = build("en", solution=False)
    for cell in student["cells"]:
        if cell["metadata"]["nbgrader"]["solution"]:
            assert "WRITE HERE" in cell["source"] and "chainrule" not in cell["source"]
            assert "BEGIN SOLUTION" not in cell["source"]
    teacher = build("en", solution=True)
    assert sum("### BEGIN SOLUTION" in c["source"] for c in teacher["cells"]) == 9


def test_the_sections_follow_the_seed_notebook_in_order():
    order = [
        c["id"]
        for c in build("ja", solution=False)["cells"]
        if c["metadata"]["nbgrader"]["solution"]
    ]
    assert order == [
        "linear",
        "loss_mse",
        "mse_loss",
        "linear2",
        "sigmoid",
        "sigmoid_grad",
        "linear3",
        "sigmoid_layer",
        "bce_loss",
    ]


def test_nbgraders_validator_accepts_every_cell():
    from nbgrader.nbgraderformat import MetadataValidator

    for lang in ("en", "ja"):
        for solution in (False, True):
            nb = nbformat.from_dict(build(lang, solution))
            MetadataValidator().validate_nb(nb)
            points = [
                c.metadata.nbgrader["points"] for c in nb.cells if c.metadata.nbgrader["grade"]
            ]
            assert sum(points) == 15 and len(points) == 9


def test_nbgraders_own_student_version_runs_and_says_not_written_yet(tmp_path):
    from nbgrader.preprocessors import ClearSolutions

    nb = nbformat.from_dict(build("ja", solution=True))
    nb, _ = ClearSolutions(enforce_metadata=True).preprocess(nb, {})
    assert "raise NotImplementedError()" in "".join(c.source for c in nb.cells)
    for report in run(nb, tmp_path):
        wrong = [line for line in report.splitlines() if "[NG]" in line]
        assert wrong and all(NOT_WRITTEN["ja"] in line for line in wrong), report


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_command_writes_student_and_teacher_notebooks(lang, tmp_path, capsys):
    assert main(["exercises", str(tmp_path), "--lang", lang]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"exercises_{lang}.ipynb", f"exercises_{lang}_solution.ipynb"]
    written = json.loads((tmp_path / names[0]).read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(build(lang, solution=False)))
    nbformat.validate(nbformat.from_dict(written))
    assert str(tmp_path / names[0]) in capsys.readouterr().out


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("solution", [False, True])
def test_the_committed_exercise_notebooks_match_their_builder(lang, solution):
    name = f"exercises_{lang}{'_solution' if solution else ''}.ipynb"
    committed = json.loads(
        (Path(__file__).parent.parent / "notebooks" / name).read_text(encoding="utf-8")
    )
    assert committed == json.loads(json.dumps(build(lang, solution)))
