import json
import subprocess
import sys

import pytest

from chainrule.cli.main import main


def test_regression_json_has_the_documented_keys(capsys):
    assert main(["tutorial", "regression", "--json", "--no-plots"]) == 0
    data = json.loads(capsys.readouterr().out)
    for group, keys in {
        "gd": ["a", "b", "final_loss", "steps"],
        "ols": ["a", "b"],
        "one_variable": ["b_init", "b_final"],
    }.items():
        for key in keys:
            assert key in data[group], f"{group}.{key}"
    assert data["gd"]["steps"] == 100


def test_classification_json_has_the_documented_keys(capsys):
    assert (
        main(["tutorial", "classification", "--json", "--no-plots", "--steps", "50", "--lr", "0.5"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert set(data["theta"]) == {"bias", "w_x", "w_y"}
    assert set(data["metrics"]) == {"accuracy", "precision", "recall", "f1"}
    assert set(data["confusion"]) == {"tp", "fp", "tn", "fn"}
    assert (
        data["n_train"] == 900
        and data["n_test"] == 100
        and data["steps"] == 50
        and data["lr"] == 0.5
    )
    assert "final_loss" in data


def test_seed_changes_the_start_and_is_reproducible(capsys):
    runs = []
    for seed in (1, 1, 2):
        main(
            ["tutorial", "regression", "--json", "--no-plots", "--seed", str(seed), "--steps", "5"]
        )
        runs.append(json.loads(capsys.readouterr().out)["gd"])
    assert runs[0] == runs[1] and runs[0]["a"] != runs[2]["a"]


def test_report_and_plots(tmp_path, capsys):
    assert main(["tutorial", "--plots", str(tmp_path), "--steps", "20"]) == 0
    out = capsys.readouterr().out
    assert "Exercise 1" in out and "LogSoftmax" in out and "precision" in out
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "classification_boundary.png",
        "classification_confusion.png",
        "classification_loss.png",
        "regression_fit.png",
        "regression_loss.png",
        "sigmoid.png",
        "softmax_confusion.png",
        "softmax_loss.png",
        "softmax_regions.png",
    ]


def test_bad_option_is_one_line_and_exit_code_2():
    proc = subprocess.run(
        [sys.executable, "-m", "chainrule", "tutorial", "--steps", "-3"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert (
        proc.stderr.count("\n") == 1 and "--steps" in proc.stderr and "Traceback" not in proc.stderr
    )
    proc = subprocess.run(
        [sys.executable, "-m", "chainrule", "tutorial", "--bogus"], capture_output=True, text=True
    )
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "--bogus" in proc.stderr


# Runs the CLI in a fresh interpreter where importing the named packages fails, as on a machine
# where they were never installed.
BLOCKED = """
import sys
class Missing:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ImportError("No module named " + repr(name))
sys.meta_path.insert(0, Missing())
from chainrule.cli.main import main
sys.exit(main({argv!r}))
"""


def _run_without(blocked, argv, cwd):
    import os
    from pathlib import Path

    import chainrule

    # the chainrule under test, wherever the subprocess starts
    source = str(Path(chainrule.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-c", BLOCKED.format(blocked=set(blocked), argv=argv)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
    )


def test_tutorial_without_matplotlib_prints_the_report_and_says_how_to_get_figures(tmp_path):
    proc = _run_without(["matplotlib"], ["tutorial", "--steps", "5"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Exercise 1" in proc.stdout and "plots: off" in proc.stdout
    assert proc.stderr.strip().splitlines() == [
        "note: figures skipped (matplotlib is not installed); to get them: pip install 'chainrule[plot]'"
    ]
    assert not list(tmp_path.rglob("*.png"))


def test_lang_ja_prints_the_report_in_japanese(tmp_path, capsys):
    assert main(["tutorial", "--lang", "ja", "--plots", str(tmp_path), "--steps", "20"]) == 0
    out = capsys.readouterr().out
    for phrase in (
        "未知数が1つの場合",
        "課題1: なぜ a = 2, b = 3 にならないのか",
        "1/√n に比例して",
        "適合率",
        "再現率",
        "混同行列",
        "次は: chainrule tutorial pytorch",
    ):
        assert phrase in out, phrase
    assert "Exercise" not in out and "precision" not in out
    assert len(list(tmp_path.glob("*.png"))) == 9


@pytest.mark.usefixtures("torch_installed")
def test_tutorial_pytorch_side_by_side(capsys):
    assert main(["tutorial", "pytorch"]) == 0
    out = capsys.readouterr().out
    assert "PyTorch 2.13" in out
    for column in ("manual", "autograd", "torch"):
        assert sum(line.lstrip().startswith(column + " ") for line in out.splitlines()) == 2, column
    assert "def train(" in out and "What differs:" in out


def test_tutorial_pytorch_without_torch_says_how_to_install_it(tmp_path):
    proc = _run_without(["torch"], ["tutorial", "pytorch", "--steps", "3"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "PyTorch is not installed" in proc.stdout and "pip install torch" in proc.stdout
    rows = [
        line.split()[0]
        for line in proc.stdout.splitlines()
        if line.startswith("  ") and line.split()
    ]
    assert rows.count("manual") == 2 and rows.count("autograd") == 2 and "torch" not in rows
    proc = _run_without(
        ["torch"], ["tutorial", "pytorch", "--steps", "3", "--lang", "ja"], tmp_path
    )
    assert "PyTorch が見つからないため" in proc.stdout and "pip install torch" in proc.stdout


def test_lang_ja_without_a_japanese_font_labels_figures_in_english_and_says_so(
    tmp_path, capsys, monkeypatch
):
    from chainrule import plot_text

    monkeypatch.setattr(plot_text, "japanese_font", lambda: None)
    assert (
        main(
            ["tutorial", "classification", "--lang", "ja", "--plots", str(tmp_path), "--steps", "5"]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "混同行列" in captured.out
    assert captured.err.strip().splitlines() == [
        "注: 日本語フォントが見つからないので、図のラベルは英語です。日本語にするには: "
        "pip install 'chainrule[ja]'"
    ]
    assert len(list(tmp_path.glob("*.png"))) == 4
