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
def test_notebook_runs_and_reproduces_the_tutorial(language, expected, tmp_path):
    path = NOTEBOOKS / f"tutorial_{language}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    last = notebook.cells[-1]
    summary = json.loads("".join(o.get("text", "") for o in last.outputs if o.output_type == "stream"))
    reg, cls = expected
    assert summary["gd_a"] == reg["gd"]["a"] and summary["ols_a"] == reg["ols"]["a"]
    assert summary["b_final"] == reg["one_variable"]["b_final"]
    assert summary["autograd_diff"] == 0.0
    assert summary["accuracy"] == cls["metrics"]["accuracy"]
    assert summary["f1"] == cls["metrics"]["f1"]


def test_committed_notebooks_match_their_builder():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build", NOTEBOOKS / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for language in ("en", "ja"):
        committed = nbformat.read(NOTEBOOKS / f"tutorial_{language}.ipynb", as_version=4)
        fresh = build.build(language)
        assert [c.source for c in committed.cells] == [c.source for c in fresh.cells]
