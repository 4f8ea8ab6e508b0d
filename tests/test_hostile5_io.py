"""Fifth hostile-input round, files: ONNX export given a folder, a number, a function or a
string opset gets a named error before any work, and a refused export leaves the file it would
have replaced; `chainrule train` reports a missing CSV before asking for its target column."""

import numpy as np
import pytest

pytest.importorskip("onnx")

import chainrule as cr
from chainrule import nn
from chainrule.cli.main import main
from chainrule.errors import CheckpointError, ExportError
from chainrule.onnx import export


def _model():
    return nn.Sequential(nn.Linear(3, 2), nn.ReLU())


def test_export_to_a_folder_is_refused_before_the_work(tmp_path):
    with pytest.raises(
        CheckpointError, match=r"onnx.export: expected a file path .*got the folder"
    ):
        export(_model(), cr.ones(1, 3), tmp_path)


def test_export_to_a_file_descriptor_number_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(
        TypeError, match=r"onnx.export: expected a file path \(str or os.PathLike\), got int"
    ):
        export(_model(), cr.ones(1, 3), 5)
    assert list(tmp_path.iterdir()) == []


def test_export_of_a_function_names_what_it_got(tmp_path):
    with pytest.raises(
        TypeError, match=r"onnx.export: expected a chainrule nn.Module, got function"
    ):
        export(lambda x: x, cr.ones(1, 3), tmp_path / "m.onnx")


def test_export_with_a_string_opset_names_it(tmp_path):
    with pytest.raises(
        TypeError, match=r"onnx.export: expected an integer opset_version, got '17'"
    ):
        export(_model(), cr.ones(1, 3), tmp_path / "m.onnx", opset_version="17")


def test_export_with_a_list_example_is_refused_not_traced_as_float64(tmp_path):
    with pytest.raises(TypeError, match=r"onnx.export: expected the example input to be a Tensor"):
        export(_model(), [[1.0, 2.0, 3.0]], tmp_path / "m.onnx")


def test_a_refused_export_leaves_the_earlier_file_whole(tmp_path):
    target = tmp_path / "m.onnx"
    export(_model(), cr.ones(1, 3), target)
    before = target.read_bytes()
    with pytest.raises(ExportError):
        export(
            nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2, track_running_stats=False)),
            cr.ones(2, 3),
            target,
        )
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.onnx"]  # no partial file left behind


def test_an_export_that_works_still_loads_in_onnx(tmp_path):
    import onnx

    target = tmp_path / "m.onnx"
    export(_model(), np.ones((1, 3), dtype=np.float32), target)
    onnx.checker.check_model(onnx.load(str(target)))


def test_train_reports_a_missing_csv_before_its_target_column(tmp_path, capsys):
    assert main(["train", "--dataset", str(tmp_path / "nope.csv"), "--epochs", "1"]) == 2
    err = capsys.readouterr().err
    assert "load_csv: expected a CSV file at" in err and "got no such file" in err


def test_train_still_asks_for_the_target_of_a_csv_that_exists(tmp_path, capsys):
    data = tmp_path / "d.csv"
    data.write_text("a,b\n1,2\n3,4\n")
    assert main(["train", "--dataset", str(data), "--epochs", "1"]) == 2
    assert "expected target= naming the label column" in capsys.readouterr().err
