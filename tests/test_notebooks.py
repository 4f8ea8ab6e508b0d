"""Execute both tutorial notebooks and check their key numbers against the tutorial module."""

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from chainrule.tutorial import Options, classification, regression

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"


@pytest.fixture(scope="module")
def expected():
    reg = regression.run(Options(plots=None))
    cls = classification.run(Options(plots=None))
    return reg, cls


@pytest.mark.parametrize("language", ["en", "ja"])
def test_notebook_runs_and_reproduces_the_tutorial(language, expected, tmp_path, monkeypatch):
    import os

    import chainrule

    # the kernel imports the chainrule under test, whatever folder it starts in
    source = str(Path(chainrule.__file__).resolve().parents[1])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([source, os.environ.get("PYTHONPATH", "")]))
    path = NOTEBOOKS / f"tutorial_{language}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    last = notebook.cells[-1]
    summary = json.loads(
        "".join(o.get("text", "") for o in last.outputs if o.output_type == "stream")
    )
    reg, cls = expected
    assert summary["gd_a"] == reg["gd"]["a"] and summary["ols_a"] == reg["ols"]["a"]
    assert summary["b_final"] == reg["one_variable"]["b_final"]
    assert summary["autograd_diff"] == 0.0
    assert summary["accuracy"] == cls["metrics"]["accuracy"]
    assert summary["f1"] == cls["metrics"]["f1"]
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    # the figures are drawn inline: fit, loss, sigmoid, boundary, loss, confusion, regions, loss, confusion
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 9
    text = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "digraph chainrule" in text or any("image/svg+xml" in o.get("data", {}) for o in outputs)
    assert "def train(" in text  # the PyTorch section
    if language == "ja":
        assert (
            "100 ステップ後" in text
            and "手作業の連鎖との差の最大値" in text
            and "PyTorch と比べる" in text
        )
    else:
        assert "after 100 steps" in text and "look at PyTorch" in text


@pytest.mark.parametrize("language", ["en", "ja"])
def test_each_exercise_asks_before_it_answers(language):
    import importlib.util

    spec = importlib.util.spec_from_file_location("build", NOTEBOOKS / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    cells = build.build(language).cells
    markdown = [c.source for c in cells if c.cell_type == "markdown"]
    questions = [
        i
        for i, m in enumerate(markdown)
        if "**Question.**" in m
        or "**問い.**" in m
        or "Exercise" in m.splitlines()[0]
        or "課題" in m.splitlines()[0]
    ]
    assert len(questions) >= 6
    for i in questions:
        # the answer comes later, folded, never before the question
        answer_at = next(j for j in range(i, len(markdown)) if "<details>" in markdown[j])
        head = markdown[answer_at].split("<details>")[0]
        assert answer_at > i or head.strip()
    assert sum(m.count("$$") for m in markdown) >= 20  # derivations, in LaTeX


def test_committed_notebooks_match_their_builder():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build", NOTEBOOKS / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for language in ("en", "ja"):
        committed = nbformat.read(NOTEBOOKS / f"tutorial_{language}.ipynb", as_version=4)
        fresh = build.build(language)
        assert [c.source for c in committed.cells] == [c.source for c in fresh.cells]
