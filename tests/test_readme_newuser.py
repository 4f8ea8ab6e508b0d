"""What a new user reads and then types: the README's commands exist, its figures are the
measured ones, and docs/errors.md quotes what chainrule prints now."""

import re
from pathlib import Path

import numpy as np
import pytest

import chainrule as cr
import chainrule.nn.functional as F
from chainrule import metrics, nn, optim
from chainrule.cli.main import main

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text()
ERRORS = (ROOT / "docs" / "errors.md").read_text()
RESULTS = (ROOT / "bench" / "RESULTS.md").read_text()
BASH = "\n".join(re.findall(r"```bash\n(.*?)```", README, re.S))
SUBCOMMANDS = sorted(set(re.findall(r"^chainrule (\w+)", BASH, re.M)))


def test_the_readme_names_the_cli_subcommands():
    assert SUBCOMMANDS == ["evaluate", "exercises", "export", "train", "tutorial"]


@pytest.mark.parametrize("subcommand", SUBCOMMANDS)
def test_each_subcommand_the_readme_names_has_help(subcommand, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([subcommand, "--help"])
    assert exit_info.value.code == 0
    assert "usage: " in capsys.readouterr().out


def test_the_tutorial_options_the_readme_lists_exist(capsys):
    options = re.search(r"Options: (.*?)\n\n", README, re.S).group(1)
    with pytest.raises(SystemExit):
        main(["tutorial", "--help"])
    help_text = capsys.readouterr().out
    for option in re.findall(r"`(--[a-z-]+)", options):
        assert option in help_text, option


def _ratios(row: str) -> list[str]:
    return re.findall(r"\d+\.\d+x", row)


def test_the_readme_benchmark_table_is_the_one_in_results_md():
    """README: chainrule/NumPy at 2 and 1 threads, chainrule/PyTorch at 1, CPUGraph at 2 and 1."""
    w1, w1o = (row for row in README.splitlines() if row.startswith("| W1"))
    w2, w2l = (row for row in README.splitlines() if row.startswith("| W2"))
    w3 = next(row for row in README.splitlines() if row.startswith("| W3:"))
    w4 = next(row for row in README.splitlines() if row.startswith("| W4:"))
    for row, key in ((w1, "W1"), (w1o, "W1O"), (w2, "W2"), (w2l, "W2L"), (w3, "W3"), (w4, "W4")):
        results = {t: _results_row(t, key) for t in ("2", "1")}
        expected = [results["2"][0], results["1"][0], results["1"][1]]
        if len(results["1"]) > 2:
            expected += [results["2"][2], results["1"][2]]
        assert _ratios(row) == expected, key


def _results_row(threads: str, key: str) -> list[str]:
    table = RESULTS.split(f"## NumPy BLAS threads = torch threads = {threads}")[1]
    prefix = {
        "W1": "| W1 regression",
        "W1O": "| W1 op by op",
        "W2": "| W2 classification: ",
        "W2L": "| W2 classification, BCE",
        "W3": "| W3 ",
        "W4": "| W4 MLP 784-1024-1024-10, batch 256, 30 steps |",
    }[key]
    row = next(line for line in table.splitlines() if line.startswith(prefix))
    return _ratios(row)


def _message(call) -> str:
    with pytest.raises(Exception) as error:
        call()
    return f"{type(error.value).__name__}: {str(error.value).splitlines()[0]}"


QUOTED = {
    "linear": lambda: nn.Linear(3, 4)(cr.randn(2, 5)),
    "add": lambda: cr.randn(2) + cr.tensor(np.ones(2)),
    "bce": lambda: F.binary_cross_entropy(cr.tensor([1.5]), cr.tensor([1.0])),
    "sgd": lambda: optim.SGD(nn.Linear(2, 2).parameters(), lr=float("nan")),
    "clip": lambda: nn.utils.clip_grad_norm_(nn.Linear(2, 2).parameters(), -1),
    "kernel": lambda: nn.Conv2d(3, 8, 0),
    "groups": lambda: nn.Conv2d(4, 6, 3, groups=4),
    "pad": lambda: F.pad(cr.randn(1, 1, 3), (3, 0), mode="reflect"),
    "accuracy": lambda: metrics.accuracy(np.array([0, 1]), np.array([0.3, 1.0])),
    "betas": lambda: optim.Adam(nn.Linear(2, 2).parameters(), betas=(1.0, 0.999)),
    "sizes": lambda: nn.Linear(-3, 2),
    "nan target": lambda: F.mse_loss(cr.randn(2), cr.tensor([1.0, float("nan")])),
    "interpolate": lambda: F.interpolate(cr.randn(1, 1, 4, 4), size=(0, 0)),
    # After eight parallel appends to docs/errors.md: each headline is still what chainrule prints.
    "class index": lambda: F.cross_entropy(cr.randn(2, 3), cr.tensor([0, 3])),
    "label dtype": lambda: F.cross_entropy(cr.randn(2, 3), cr.tensor([0, 1], dtype=cr.int32)),
    "non-scalar backward": lambda: (cr.randn(2, requires_grad=True) * 2).backward(),
    "unsqueeze": lambda: cr.randn(2, 3).unsqueeze(5),
    "module class": lambda: nn.Sequential(nn.Linear(2, 2), nn.ReLU),
    "module index": lambda: nn.Sequential(nn.Linear(2, 2), nn.ReLU())[5],
    "cat 0-d": lambda: cr.cat([cr.tensor(1.0), cr.tensor(2.0)]),
    "list input": lambda: F.linear([1.0, 2.0], cr.randn(3, 2)),
    "softmax int": lambda: F.softmax(cr.tensor([1, 2]), dim=0),
    "negative stride": lambda: cr.from_numpy(np.arange(3.0)[::-1]),
    "hardtanh": lambda: nn.Hardtanh(1, -1),
    "unflatten": lambda: nn.Unflatten(1, (2, 2))(cr.randn(2, 3)),
    "gather": lambda: cr.gather(cr.randn(3), 0, cr.tensor([-1, 0])),
    "arange": lambda: cr.arange(10, 0, 1),
    "reshape": lambda: cr.randn(6).reshape(-2, 3),
    "bias": lambda: F.linear(cr.randn(2, 3), cr.randn(4, 3), cr.randn(3)),
    "hardswish int": lambda: F.hardswish(cr.tensor([1, 2])),
    "bfloat16": lambda: cr.zeros(2, dtype=cr.bfloat16),
    "cuda": lambda: cr.cuda.synchronize(),
    "pin_memory": lambda: cr.randn(2).pin_memory(),
    "reflection pad": lambda: nn.ReflectionPad2d(1)(cr.randn(3, 3)),
    "group_norm": lambda: F.group_norm(cr.randn(1, 1), 1),
    "None in list": lambda: cr.tensor([1.0, None]),
    "conv channels": lambda: nn.Conv2d(3, 8, 3)(cr.randn(2, 4, 8, 8)),
    "hook on constant": lambda: cr.randn(2).register_hook(lambda g: g),
}


@pytest.mark.parametrize("case", sorted(QUOTED))
def test_docs_errors_quotes_the_message_chainrule_prints(case):
    assert f"**`{_message(QUOTED[case])}`**" in ERRORS


def test_docs_errors_quotes_the_command_line_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("mine.csv").write_text("x,y\n1,2\n3,4\n")
    assert main(["train", "--dataset", "mine.csv", "--target", "label"]) == 2
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"$ chainrule train --dataset mine.csv --target label\n{line}\n" in ERRORS
