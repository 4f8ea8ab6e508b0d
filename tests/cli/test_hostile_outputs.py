"""Output paths that would destroy the user's data are refused before any work, exit code 2:
an input overwritten by an output, a special file replaced by a regular one, student work."""

import os

import numpy as np
import pytest

import chainrule as cr
from chainrule.cli.main import main
from chainrule.errors import CheckpointError


def _run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _refused(capsys, args, needle):
    code, out, err = _run(capsys, *args)
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    assert needle in err, err
    return err


@pytest.fixture
def data(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 2))
    rows = "".join(f"{a:.4f},{b:.4f},{int(a + b > 0)}\n" for a, b in X)
    (tmp_path / "d.csv").write_text("a,b,label\n" + rows)
    return tmp_path


def _train(capsys, data, *extra):
    code, _, err = _run(
        capsys,
        "train",
        "--dataset",
        data / "d.csv",
        "--target",
        "label",
        "--epochs",
        "1",
        "--hidden",
        "4",
        "--quiet",
        *extra,
    )
    assert code == 0, err


def test_save_over_the_dataset_is_refused_and_the_csv_is_untouched(capsys, data):
    before = (data / "d.csv").read_bytes()
    _refused(
        capsys,
        ["train", "--dataset", data / "d.csv", "--target", "label", "--save", data / "d.csv"],
        "--save: expected an output path other than the input",
    )
    _train(capsys, data, "--save", data / "r.npz")
    _refused(
        capsys,
        ["train", "--resume", data / "r.npz", "--save", data / "d.csv", "--epochs", "2"],
        "which would overwrite it",
    )
    # a hard link is the same file under another name
    os.link(data / "d.csv", data / "link.csv")
    _refused(
        capsys,
        ["train", "--dataset", data / "d.csv", "--target", "label", "--save", data / "link.csv"],
        "expected an output path other than the input",
    )
    assert (data / "d.csv").read_bytes() == before


def test_a_resumed_run_may_still_continue_in_its_own_checkpoint(capsys, data):
    _train(capsys, data, "--save", data / "r.npz")
    code, _, err = _run(
        capsys,
        "train",
        "--resume",
        data / "r.npz",
        "--save",
        data / "r.npz",
        "--epochs",
        "2",
        "--quiet",
    )
    assert code == 0, err
    assert cr.load(data / "r.npz")["epoch"] == 2


@pytest.mark.parametrize("flag", ["--onnx", "--safetensors"])
def test_export_over_its_own_checkpoint_or_dataset_is_refused(capsys, data, flag):
    pytest.importorskip("onnx" if flag == "--onnx" else "safetensors")
    _train(capsys, data, "--save", data / "r.npz")
    before = (data / "r.npz").read_bytes()
    _refused(
        capsys,
        ["export", data / "r.npz", flag, data / "r.npz"],
        f"{flag}: expected an output path other",
    )
    _refused(capsys, ["export", data / "r.npz", flag, data / "d.csv"], "other than the input")
    assert (data / "r.npz").read_bytes() == before
    assert cr.load(data / "r.npz")["epoch"] == 1


def test_export_refuses_one_path_for_both_outputs(capsys, data):
    _train(capsys, data, "--save", data / "r.npz")
    _refused(
        capsys,
        ["export", data / "r.npz", "--onnx", data / "m", "--safetensors", data / "m"],
        "expected different paths for --onnx and --safetensors",
    )


@pytest.mark.parametrize("name", ["run.npz", "run.safetensors"])
def test_a_fifo_is_never_replaced_by_a_regular_file(capsys, data, name):
    if name.endswith(".safetensors"):
        pytest.importorskip("safetensors")
    fifo = data / name
    os.mkfifo(fifo)
    _refused(
        capsys,
        ["train", "--dataset", data / "d.csv", "--target", "label", "--save", fifo],
        "expected a regular file or a new path, got",
    )
    assert not (fifo).is_file() and os.path.exists(fifo)
    with pytest.raises(CheckpointError, match="a device, FIFO or socket"):
        cr.save({"w": np.zeros(2)}, fifo)
    assert not fifo.is_file()


def test_save_refuses_a_device(capsys):
    with pytest.raises(
        CheckpointError, match="expected a regular file or a new path, got /dev/null"
    ):
        cr.save({"w": np.zeros(2)}, "/dev/null")
    assert not os.path.isfile("/dev/null")


def test_saved_files_follow_the_umask_and_leave_no_temporaries(data):
    pytest.importorskip("safetensors")
    old = os.umask(0o022)
    try:
        for name in ("a.npz", "a.safetensors"):
            cr.save({"w": np.zeros(2, np.float32)}, data / name)
            assert (data / name).stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)
    # a save killed mid-write leaves a temporary under a dead pid; the next save removes it
    stale = data / ".a.safetensors.999999999.deadbeef.chainrule-partial"
    stale.write_bytes(b"partial")
    cr.save({"w": np.zeros(2, np.float32)}, data / "a.safetensors")
    assert sorted(p.name for p in data.iterdir() if p.name.startswith(".")) == []


def test_exercises_never_overwrite_a_students_notebook_without_force(capsys, tmp_path):
    code, out, _ = _run(capsys, "exercises", tmp_path)
    assert code == 0 and out.count(".ipynb") == 2
    student = tmp_path / "exercises_ja.ipynb"
    student.write_text("my answers")
    err = _refused(
        capsys, ["exercises", tmp_path], "expected notebooks that do not exist yet, got "
    )
    assert (
        str(student) in err
        and str(tmp_path / "exercises_ja_solution.ipynb") in err
        and "--force" in err
    )
    assert student.read_text() == "my answers"
    code, _, _ = _run(capsys, "exercises", tmp_path, "--lang", "en")  # other names, nothing to lose
    assert code == 0
    code, _, _ = _run(capsys, "exercises", tmp_path, "--force")
    assert code == 0 and student.read_text().startswith("{")


def _shell(command, cwd):
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PYTHONPATH": str(Path(cr.__file__).parents[1])}
    return subprocess.run(
        ["bash", "-c", command.replace("PY", sys.executable)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
    )


def test_a_closed_stdout_ends_without_a_traceback(capsys, data):
    _train(capsys, data, "--save", data / "r.npz")
    proc = _shell("PY -m chainrule evaluate r.npz >&-", data)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr


def test_mnist_files_cut_in_the_header_or_the_gzip_stream_are_one_line_errors(capsys, tmp_path):
    from chainrule.data.files import save_idx

    rng = np.random.default_rng(0)
    for split, n in (("train", 20), ("t10k", 10)):
        save_idx(
            rng.integers(0, 255, (n, 28, 28), dtype=np.uint8),
            tmp_path / f"{split}-images-idx3-ubyte",
        )
        save_idx(rng.integers(0, 10, n, dtype=np.uint8), tmp_path / f"{split}-labels-idx1-ubyte.gz")
    images = tmp_path / "train-images-idx3-ubyte"
    images.write_bytes(images.read_bytes()[:9])
    args = ["train", "--dataset", "mnist", "--data-dir", tmp_path, "--epochs", "1"]
    _refused(
        capsys,
        args,
        "load_idx(train-images-idx3-ubyte): expected 3 dimension sizes in the header, got 5 of 12",
    )
    save_idx(rng.integers(0, 255, (20, 28, 28), dtype=np.uint8), images)
    labels = tmp_path / "t10k-labels-idx1-ubyte.gz"
    labels.write_bytes(labels.read_bytes()[:-9])
    _refused(
        capsys,
        args,
        "load_idx(t10k-labels-idx1-ubyte.gz): expected a complete IDX file, got EOFError",
    )


def test_tutorial_json_is_strict_json_with_null_for_non_finite_numbers(capsys):
    import json

    code, out, err = _run(capsys, "tutorial", "softmax", "--json", "--no-plots")
    assert code == 0, err

    def refuse(constant):
        raise ValueError(f"non-standard JSON constant {constant}")

    report = json.loads(out, parse_constant=refuse)  # NaN / -Infinity would be refused here
    table = {row["scale"]: row for row in report["precision_table"]}
    assert table[1000]["naive"] == [None, None, None]  # log(0) = -inf in the naive formula
    assert all(isinstance(v, float) for v in table[1000]["log_softmax"])


def test_a_target_with_one_class_is_refused_naming_it(capsys, tmp_path):
    (tmp_path / "one.csv").write_text("a,label\n" + "".join(f"{i},7\n" for i in range(30)))
    _refused(
        capsys,
        [
            "train",
            "--dataset",
            tmp_path / "one.csv",
            "--target",
            "label",
            "--task",
            "classification",
            "--epochs",
            "1",
        ],
        "expected at least two classes in the training data, got only '7'",
    )


def test_a_batch_larger_than_the_data_is_one_batch_not_a_memory_error(capsys, data):
    code, out, err = _run(
        capsys,
        "train",
        "--dataset",
        data / "d.csv",
        "--target",
        "label",
        "--epochs",
        "1",
        "--batch-size",
        "100000000",
        "--quiet",
        "--json",
    )
    assert code == 0, err
    import json

    report = json.loads(out)
    assert (
        report["n_test"] == 12
        and report["n_train"] + report["n_val"] == 48
        and report["n_val"] >= 1
    )
