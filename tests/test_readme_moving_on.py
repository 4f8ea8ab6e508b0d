"""The README's "Moving on" snippets run, and PyTorch and onnxruntime give chainrule's outputs."""

import re
import shlex
from pathlib import Path

import numpy as np
import pytest
import onnxruntime

import chainrule as cr
from chainrule.cli.main import main

README = (Path(__file__).parent.parent / "README.md").read_text()
SECTION = README.split("## Moving on: to PyTorch and to onnxruntime", 1)[1].split("\n## ", 1)[0]
PLAIN_LOOP = next(
    block for block in re.findall(r"```python\n(.*?)```", README, re.S) if "digits.npz" in block
)


@pytest.mark.usefixtures("sklearn_data")
@pytest.mark.usefixtures("torch_installed")
def test_the_python_snippets_reproduce_chainrules_outputs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", SECTION, re.S)
    assert len(blocks) == 2
    namespace: dict = {}
    for block in [PLAIN_LOOP.replace("range(30)", "range(2)")] + blocks:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
    model, split = namespace["model"], namespace["split"]
    with cr.no_grad():
        expected = model(cr.tensor(split.X_test)).numpy()
    assert expected.dtype == np.float32 and expected.shape == (len(split.X_test), 10)
    np.testing.assert_allclose(namespace["torch_logits"], expected, rtol=0, atol=1e-5)
    np.testing.assert_allclose(namespace["onnx_logits"], expected, rtol=0, atol=1e-5)


@pytest.mark.usefixtures("sklearn_data")
@pytest.mark.usefixtures("torch_installed")
def test_the_command_line_snippet_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    commands = [
        shlex.split(line) for line in re.search(r"```bash\n(.*?)```", SECTION, re.S)[1].splitlines()
    ]
    assert [c[:2] for c in commands] == [
        ["chainrule", "train"],
        ["chainrule", "evaluate"],
        ["chainrule", "export"],
    ]
    for command in commands:
        args = command[1:]
        if "--epochs" in args:
            args[args.index("--epochs") + 1] = "2"
        assert main(args + (["--quiet"] if args[0] == "train" else [])) == 0
    out = capsys.readouterr().out
    assert "test report: digits" in out and "largest difference from chainrule" in out
    gap = float(re.search(r"largest difference from chainrule (\S+)", out)[1])
    assert gap < 1e-5
    assert (tmp_path / "digits.state.npz").is_file()
    session = onnxruntime.InferenceSession("digits.onnx", providers=["CPUExecutionProvider"])
    assert session.run(None, {"input": np.zeros((3, 64), np.float32)})[0].shape == (3, 10)
