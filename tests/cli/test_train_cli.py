import json

import numpy as np
import pytest

from chainrule.cli.main import main


@pytest.mark.usefixtures("sklearn_data")
def test_train_save_evaluate_report_the_same_numbers(tmp_path, capsys):
    path = tmp_path / "run.npz"
    assert (
        main(
            [
                "train",
                "--dataset",
                "wine",
                "--epochs",
                "5",
                "--json",
                "--save",
                str(path),
                "--plot",
                str(tmp_path / "plots"),
            ]
        )
        == 0
    )
    trained = json.loads(capsys.readouterr().out)
    assert main(["evaluate", str(path), "--json"]) == 0
    evaluated = json.loads(capsys.readouterr().out)
    for key in ("loss", "accuracy", "precision", "recall", "f1", "confusion"):
        assert trained[key] == evaluated[key]
    assert (tmp_path / "plots" / "learning_curves.png").exists()
    assert (tmp_path / "plots" / "confusion_matrix.png").exists()


@pytest.mark.usefixtures("sklearn_data")
def test_train_prints_epochs_and_a_report(capsys):
    assert main(["train", "--dataset", "iris", "--epochs", "2"]) == 0
    captured = capsys.readouterr()
    assert "epoch   2/2" in captured.err
    assert "test report: iris" in captured.out and "accuracy" in captured.out


def test_train_on_a_csv_file(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 3))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    lines = ["f1,f2,f3,label"] + [f"{a:.5f},{b:.5f},{c:.5f},{t}" for (a, b, c), t in zip(X, y)]
    (tmp_path / "mine.csv").write_text("\n".join(lines) + "\n")
    assert (
        main(
            [
                "train",
                "--dataset",
                str(tmp_path / "mine.csv"),
                "--target",
                "label",
                "--epochs",
                "30",
                "--lr",
                "1e-2",
                "--json",
                "--quiet",
            ]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["task"] == "classification" and report["accuracy"] > 0.85


# Resuming a run (with and without early stopping) is tested in test_hostile_cli.py.
