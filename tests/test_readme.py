"""The README's Python examples run as written (with fewer epochs)."""

import re
from pathlib import Path

import numpy as np
import pytest

README = (Path(__file__).parent.parent / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)


def test_readme_has_python_examples():
    assert len(BLOCKS) >= 4


@pytest.mark.usefixtures("sklearn_data")
def test_readme_python_examples_run_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for block in BLOCKS:
        code = block.replace("range(100)", "range(5)").replace("range(30)", "range(2)")
        exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102
    assert (tmp_path / "digits.npz").exists()
    assert namespace["Cube"].apply is not None


@pytest.mark.parametrize("command", ["make tutorial", "make test"])
def test_readme_names_the_two_commands(command):
    assert command in README


def test_hand_chained_and_autograd_examples_agree_to_the_last_bit():
    namespace: dict = {}
    for block in BLOCKS[:2]:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
    assert (namespace["model"].weight.detach().numpy() == namespace["linear"].theta).all()


@pytest.mark.oracle
def test_the_autograd_example_runs_unchanged_on_torch():
    """The README's claim: swap the two import lines and it is a PyTorch program."""
    torch = pytest.importorskip("torch")
    namespace: dict = {}
    exec(compile(BLOCKS[0], "README.md", "exec"), namespace)  # noqa: S102
    swapped = BLOCKS[1].replace(
        "import chainrule as cr\nfrom chainrule import nn, optim",
        "import torch as cr\nfrom torch import nn, optim",
    )
    assert swapped != BLOCKS[1]
    previous = torch.get_default_dtype()
    try:
        exec(compile(swapped, "README.md", "exec"), namespace)  # noqa: S102
    finally:
        torch.set_default_dtype(previous)
    np.testing.assert_allclose(
        namespace["model"].weight.detach().numpy(), namespace["linear"].theta, rtol=1e-12
    )
