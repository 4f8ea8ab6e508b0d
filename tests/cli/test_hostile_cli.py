"""Hostile command lines: each is refused with one line and exit code 2 before any training,
and what trains is exact (resume with early stopping) and honest (a NaN run fails)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import chainrule as cr
from chainrule.cli.main import main


NEEDS_DATA = pytest.mark.oracle  # the case loads a bundled set, which comes from scikit-learn


def _write_csv(path, header, rows, encoding="utf-8"):
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def _run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _refused(capsys, args, needle):
    code, out, err = _run(capsys, *args)
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    assert needle in err, err
    assert out == ""
    return err


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 2))
    rows = [f"{a:.4f},{b:.4f},{int(a + b > 0)}" for a, b in X]
    _write_csv(tmp_path / "ok.csv", "a,b,label", rows)
    _write_csv(
        tmp_path / "dup.csv", "a,label,label", [f"{r.split(',')[0]},{r[-1]},{r[-1]}" for r in rows]
    )
    _write_csv(tmp_path / "only.csv", "label", [r[-1] for r in rows])
    _write_csv(tmp_path / "latin.csv", "a,label", ["1,0", "caf\u00e9,1"], encoding="latin-1")
    _write_csv(tmp_path / "huge.csv", "a,label", ["1," + "9" * 200_000])
    _write_csv(tmp_path / "other.csv", "a,c,b,label", [r.replace(",", ",0,", 1) for r in rows])
    (tmp_path / "afile").write_text("x")
    return tmp_path


@pytest.mark.parametrize(
    "args, needle",
    [
        (
            ["--dataset", "{t}/dup.csv", "--target", "label"],
            "load_csv(dup.csv): expected column names that appear once, got 'label' twice",
        ),
        (
            ["--dataset", "{t}/only.csv", "--target", "label"],
            "expected at least one feature column besides the target, got only 'label'",
        ),
        (
            ["--dataset", "{t}/latin.csv", "--target", "label"],
            "load_csv(latin.csv): expected UTF-8 text, got byte 0xe9",
        ),
        (
            ["--dataset", "{t}/huge.csv", "--target", "label"],
            "load_csv(huge.csv): expected a well-formed CSV file, got field larger than field limit (131072) on line 2",
        ),
        (
            ["--dataset", "{t}", "--target", "label"],
            "load_csv: expected a CSV file at {t}, got a folder",
        ),
        (
            ["--dataset", "iris", "--target", "label"],
            "--target: expected a .csv dataset, got the bundled set 'iris'",
        ),
        (["--hidden", ""], "--hidden: expected at least one width such as 128, got ''"),
        pytest.param(
            ["--hidden", "100000000"],
            "--hidden: expected a model that fits in memory",
            marks=NEEDS_DATA,
        ),
        (
            ["--optimizer", "adam", "--momentum", "0.9"],
            "--momentum: expected --optimizer sgd or rmsprop, got --optimizer adam",
        ),
        (
            ["--model", "linear", "--activation", "tanh", "--dropout", "0.1"],
            "--model linear: expected no MLP options, got --activation, --dropout",
        ),
        (["--patience", "-1"], "--patience: expected a positive number of epochs, got -1"),
        (["--patience", "0"], "--patience: expected a positive number of epochs, got 0"),
        (
            ["--patience", "3", "--val-size", "0"],
            "--patience: expected a validation split to watch, got --val-size 0",
        ),
        (["--seed", "-1"], "--seed: expected a non-negative integer, got -1"),
        pytest.param(
            ["--dataset", "iris", "--test-size", "0.99"],
            "load_dataset('iris'): expected at least one sample in the training split, got none of 150",
            marks=NEEDS_DATA,
        ),
        pytest.param(
            ["--dataset", "iris", "--val-size", "0.99", "--test-size", "0.5"],
            "expected at least one sample in the training split, got none of 75",
            marks=NEEDS_DATA,
        ),
        (["--save", "{t}"], "--save: expected a file path for the checkpoint, got the folder {t}"),
        (
            ["--save", "{t}/afile/run.npz"],
            "--save: expected a folder at {t}/afile to hold run.npz, got a file",
        ),
        (
            ["--plot", "{t}/afile"],
            "--plot: expected a folder for the figures, got the file {t}/afile",
        ),
    ],
)
def test_bad_train_options_are_refused_before_training(capsys, files, args, needle, request):
    if request.node.get_closest_marker("oracle"):
        pytest.importorskip("sklearn")
    err = _refused(
        capsys,
        ["train", "--epochs", "1", *[a.replace("{t}", str(files)) for a in args]],
        needle.replace("{t}", str(files)),
    )
    assert "epoch" not in err.split(":")[0]


@pytest.mark.usefixtures("sklearn_data")
def test_a_diverging_run_stops_at_the_first_nan_and_keeps_the_last_good_checkpoint(
    capsys, tmp_path
):
    path = tmp_path / "run.npz"
    err = _refused(
        capsys,
        [
            "train",
            "--dataset",
            "iris",
            "--optimizer",
            "sgd",
            "--lr",
            "1e4",
            "--epochs",
            "5",
            "--no-batch-norm",
            "--save",
            path,
            "--quiet",
        ],
        "fit: expected a finite training loss, got nan at epoch ",
    )
    assert "step " in err and "Hint: lower the learning rate, or clip gradients" in err
    state = cr.load(path)
    assert 1 <= state["epoch"] < 5
    assert all(np.isfinite(v).all() for v in state["model"].values())


@pytest.mark.usefixtures("sklearn_data")
def test_overflowing_batch_norm_statistics_stop_the_run_and_the_checkpoint_stays_finite(
    capsys, tmp_path
):
    path = tmp_path / "run.npz"
    err = _refused(
        capsys,
        [
            "train",
            "--dataset",
            "iris",
            "--optimizer",
            "sgd",
            "--lr",
            "1e4",
            "--epochs",
            "5",
            "--save",
            path,
            "--quiet",
        ],
        "fit: expected finite",
    )
    assert "Hint: lower the learning rate" in err
    state = cr.load(path)
    assert all(np.isfinite(v).all() for v in state["model"].values())


def test_json_never_prints_bare_nan():
    from chainrule.json_values import finite as _finite

    text = json.dumps(_finite({"loss": float("nan"), "r2": [1.0, float("inf")]}), allow_nan=False)
    assert json.loads(text) == {"loss": None, "r2": [1.0, None]}


RESUMES = {
    "early_stopping": (
        ["--hidden", "8", "--lr", "0.05", "--patience", "2", "--dropout", "0.1", "--seed", "1"],
        40,
    ),
    "plain": (["--dropout", "0.2", "--seed", "3"], 6),
}


@pytest.mark.usefixtures("sklearn_data")
@pytest.mark.parametrize("name", sorted(RESUMES))
def test_resume_is_bit_identical_to_an_uninterrupted_run(name, capsys, tmp_path):
    options, epochs = RESUMES[name]
    common = ["--dataset", "iris", *options, "--quiet", "--json"]
    code, out, _ = _run(
        capsys, "train", *common, "--epochs", epochs, "--save", tmp_path / "full.npz"
    )
    assert code == 0
    full_report = json.loads(out)
    assert _run(capsys, "train", *common, "--epochs", "3", "--save", tmp_path / "leg.npz")[0] == 0
    code, out, _ = _run(
        capsys, "train", "--resume", tmp_path / "leg.npz", "--epochs", epochs, "--quiet", "--json"
    )
    assert code == 0
    full, resumed = cr.load(tmp_path / "full.npz"), cr.load(tmp_path / "leg.npz")
    assert resumed["epoch"] == full["epoch"] and resumed["history"] == full["history"]
    assert (resumed.get("best_model") is None) == (full.get("best_model") is None)
    for key in ("model", "best_model") if full.get("best_model") is not None else ("model",):
        assert resumed[key].keys() == full[key].keys()
        for entry in full[key]:
            assert resumed[key][entry].numpy().tobytes() == full[key][entry].numpy().tobytes(), (
                key,
                entry,
            )
    report = json.loads(out)
    assert report == full_report
    if name == "plain":
        assert report["epochs_run"] == epochs
        return
    assert (
        full["history"].get("stopped_early") == full["epoch"] < epochs
    )  # early stopping really happened
    assert full["history"]["best_epoch"] < full["epoch"]  # so "last" and "best" really differ
    assert any(
        full["model"][n].numpy().tobytes() != full["best_model"][n].numpy().tobytes()
        for n in full["model"]
    )
    code, out, _ = _run(capsys, "evaluate", tmp_path / "leg.npz", "--json")
    assert (
        json.loads(out)["loss"] == full_report["loss"]
    )  # evaluate scores the best weights, as train did


@pytest.mark.usefixtures("sklearn_data")
def test_resume_refuses_options_that_differ_from_the_checkpoint(capsys, tmp_path):
    path = tmp_path / "run.npz"
    assert (
        _run(capsys, "train", "--dataset", "iris", "--epochs", "1", "--save", path, "--quiet")[0]
        == 0
    )
    _refused(
        capsys,
        ["train", "--resume", path, "--lr", "0.1"],
        "--resume: expected options that match the checkpoint, got --lr 0.1 where the run has 0.001",
    )
    assert (
        _run(capsys, "train", "--resume", path, "--dataset", "iris", "--epochs", "2", "--quiet")[0]
        == 0
    )


@pytest.mark.usefixtures("sklearn_data")
def test_resume_and_evaluate_refuse_other_data(capsys, files):
    path = files / "run.npz"
    assert (
        _run(
            capsys,
            "train",
            "--dataset",
            files / "ok.csv",
            "--target",
            "label",
            "--epochs",
            "1",
            "--save",
            path,
            "--quiet",
        )[0]
        == 0
    )
    _write_csv(files / "ok.csv", "a,b,label", ["5,5,1", "6,7,0", "1,1,1", "9,2,0", "3,3,1"] * 4)
    _refused(
        capsys,
        ["train", "--resume", path, "--epochs", "2"],
        "training split has different statistics",
    )
    _refused(
        capsys,
        ["evaluate", path, "--dataset", files / "other.csv"],
        "chainrule evaluate: expected the data run.npz was trained on, got different features",
    )
    _refused(capsys, ["evaluate", path, "--dataset", "iris"], "got different features")


def _crafted(capsys, path, mutate):
    good = path.parent / "good.npz"
    assert (
        _run(capsys, "train", "--dataset", "iris", "--epochs", "1", "--save", good, "--quiet")[0]
        == 0
    )
    state = cr.load(good)
    mutate(state)
    cr.save(state, path)
    return path


@pytest.mark.usefixtures("sklearn_data")
@pytest.mark.parametrize(
    "mutate, needle",
    [
        (lambda s: s.pop("config"), "expected 'config' as a dict in"),
        (lambda s: s["config"].update(dataset=3), "expected config.dataset of type str in"),
        (
            lambda s: s["config"].update(hidden=[1e12]),
            "expected config.hidden as positive integers in",
        ),
        (
            lambda s: s["config"].update(hidden=[10**12]),
            "--hidden: expected a model that fits in memory",
        ),
        (lambda s: s["config"].update(model="transformer"), "expected config.model in"),
        (lambda s: s["config"].update(batch_size=0), "expected a valid config in"),
        (
            lambda s: s.update(
                model={k: v.numpy().astype(np.float64) for k, v in s["model"].items()}
            ),
            "expected float32 weights as its config says",
        ),
    ],
)
def test_crafted_checkpoints_are_refused_before_anything_is_built(capsys, tmp_path, mutate, needle):
    path = _crafted(capsys, tmp_path / "bad.npz", mutate)
    _refused(capsys, ["evaluate", path], needle)
    _refused(capsys, ["train", "--resume", path], needle)


def test_a_checkpoint_whose_header_is_a_list_is_refused(capsys, tmp_path):
    header = np.frombuffer(b'["chainrule-checkpoint", 1]', np.uint8)
    np.savez(tmp_path / "list.npz", __chainrule__=header)
    _refused(
        capsys, ["evaluate", tmp_path / "list.npz"], "load: expected format 'chainrule-checkpoint'"
    )


def test_a_closed_pipe_ends_quietly(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(Path(cr.__file__).parents[1])}
    command = f"{sys.executable} -m chainrule train --dataset iris --epochs 1 --quiet | head -c 1"
    proc = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command}"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert proc.stdout == "t" and proc.stderr == ""
    assert proc.returncode in (0, 141)


@pytest.mark.usefixtures("sklearn_data")
def test_batch_norm_drops_a_last_batch_of_one(capsys):
    # iris: 120 training rows, 108 after the validation split; 108 % 107 == 1
    code, out, err = _run(
        capsys,
        "train",
        "--dataset",
        "iris",
        "--batch-norm",
        "--batch-size",
        "107",
        "--epochs",
        "1",
        "--quiet",
    )
    assert code == 0, err
