"""Execute the CNN notebooks (ja and en) and check what they claim: im2col equals conv2d, the patch
counts of col2im, and a CNN that learns digits; and that they match their builder."""

import importlib.util
import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).parent.parent
NOTEBOOKS = ROOT / "notebooks"


@pytest.mark.parametrize("language", ["en", "ja"])
def test_cnn_notebook_runs_and_shows_what_it_says(language, tmp_path, monkeypatch):
    # The kernel imports the chainrule under test, not whatever is installed.
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "src"))
    notebook = nbformat.read(NOTEBOOKS / f"cnn_{language}.ipynb", as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    summary = json.loads(
        "".join(o.get("text", "") for o in notebook.cells[-1].outputs if o.output_type == "stream")
    )
    assert summary["im2col_equals_conv2d"] is True
    assert summary["patch_counts"] == [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]]
    assert summary["accuracy"] >= 0.95
    assert (tmp_path / "cnn_filters.png").stat().st_size > 0


def test_committed_cnn_notebooks_match_their_builder():
    spec = importlib.util.spec_from_file_location("build_cnn", NOTEBOOKS / "build_cnn.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for language in ("en", "ja"):
        committed = nbformat.read(NOTEBOOKS / f"cnn_{language}.ipynb", as_version=4)
        assert [c.source for c in committed.cells] == [
            c.source for c in build.build(language).cells
        ]
