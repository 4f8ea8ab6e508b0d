import json
import subprocess
import sys


from chainrule.cli.main import main


def test_regression_json_has_the_documented_keys(capsys):
    assert main(["tutorial", "regression", "--json", "--no-plots"]) == 0
    data = json.loads(capsys.readouterr().out)
    for group, keys in {"gd": ["a", "b", "final_loss", "steps"], "ols": ["a", "b"],
                        "one_variable": ["b_init", "b_final"]}.items():
        for key in keys:
            assert key in data[group], f"{group}.{key}"
    assert data["gd"]["steps"] == 100


def test_classification_json_has_the_documented_keys(capsys):
    assert main(["tutorial", "classification", "--json", "--no-plots", "--steps", "50", "--lr", "0.5"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["theta"]) == {"bias", "w_x", "w_y"}
    assert set(data["metrics"]) == {"accuracy", "precision", "recall", "f1"}
    assert set(data["confusion"]) == {"tp", "fp", "tn", "fn"}
    assert data["n_train"] == 900 and data["n_test"] == 100 and data["steps"] == 50 and data["lr"] == 0.5
    assert "final_loss" in data


def test_seed_changes_the_start_and_is_reproducible(capsys):
    runs = []
    for seed in (1, 1, 2):
        main(["tutorial", "regression", "--json", "--no-plots", "--seed", str(seed), "--steps", "5"])
        runs.append(json.loads(capsys.readouterr().out)["gd"])
    assert runs[0] == runs[1] and runs[0]["a"] != runs[2]["a"]


def test_report_and_plots(tmp_path, capsys):
    assert main(["tutorial", "--plots", str(tmp_path), "--steps", "20"]) == 0
    out = capsys.readouterr().out
    assert "Exercise 1" in out and "LogSoftmax" in out and "precision" in out
    assert len(list(tmp_path.glob("*.png"))) == 7


def test_bad_option_is_one_line_and_exit_code_2():
    proc = subprocess.run([sys.executable, "-m", "chainrule", "tutorial", "--steps", "-3"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "--steps" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "chainrule", "tutorial", "--bogus"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "--bogus" in proc.stderr
