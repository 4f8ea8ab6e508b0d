import subprocess
import sys

import numpy as np
import onnxruntime
import pytest

torch = pytest.importorskip("torch")
from safetensors.torch import load_file  # needs torch

import chainrule as cr
from chainrule.cli.main import main

pytestmark = pytest.mark.oracle  # compared with PyTorch / scikit-learn


def test_export_an_npz_run_to_onnx_and_safetensors(tmp_path, capsys):
    run = tmp_path / "run.npz"
    assert (
        main(
            [
                "train",
                "--dataset",
                "wine",
                "--hidden",
                "16,8",
                "--batch-norm",
                "--dropout",
                "0.2",
                "--activation",
                "tanh",
                "--epochs",
                "3",
                "--save",
                str(run),
                "--quiet",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert (
        main(
            [
                "export",
                str(run),
                "--onnx",
                str(tmp_path / "w.onnx"),
                "--safetensors",
                str(tmp_path / "w.safetensors"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "wrote" in out and "input (batch, 13) float32" in out
    state = cr.load(run)
    twin = torch.nn.Sequential(
        torch.nn.Linear(13, 16),
        torch.nn.BatchNorm1d(16),
        torch.nn.Tanh(),
        torch.nn.Dropout(0.2),
        torch.nn.Linear(16, 8),
        torch.nn.BatchNorm1d(8),
        torch.nn.Tanh(),
        torch.nn.Dropout(0.2),
        torch.nn.Linear(8, 3),
    )
    twin.load_state_dict(load_file(tmp_path / "w.safetensors"), strict=True)
    twin.eval()
    for key, value in state["model"].items():
        np.testing.assert_array_equal(twin.state_dict()[key].numpy(), value)
    x = np.random.default_rng(0).standard_normal((11, 13)).astype(np.float32)
    session = onnxruntime.InferenceSession(
        str(tmp_path / "w.onnx"), providers=["CPUExecutionProvider"]
    )
    with torch.no_grad():
        expected = twin(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(session.run(None, {"input": x})[0], expected, rtol=0, atol=1e-5)


def test_export_errors_are_one_line(tmp_path, capsys):
    assert main(["export", str(tmp_path / "none.npz"), "--onnx", str(tmp_path / "x.onnx")]) == 2
    assert "expected a checkpoint file at" in capsys.readouterr().err
    cr.save({"model": {"w": np.zeros(2, np.float32)}}, tmp_path / "bare.npz")
    assert main(["export", str(tmp_path / "bare.npz"), "--onnx", str(tmp_path / "x.onnx")]) == 2
    assert "expected a checkpoint written by chainrule train" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "bare.npz")]) == 2
    assert "expected --onnx PATH or --safetensors PATH, got neither" in capsys.readouterr().err


def test_the_core_imports_none_of_the_export_packages():
    code = (
        "import sys, chainrule, chainrule.cli.main; chainrule.cli.main.build_parser(); "
        "print(sorted(m for m in ('onnx', 'onnxruntime', 'safetensors', 'torch') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_missing_safetensors_package_says_which_extra_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "safetensors.numpy", None)
    with pytest.raises(ImportError, match=r"pip install 'chainrule\[export\]'"):
        cr.save({"w": np.zeros(2, np.float32)}, tmp_path / "w.safetensors")
