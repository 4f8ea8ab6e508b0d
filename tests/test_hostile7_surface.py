"""Seventh hostile-input round, the oldest surface: a tensor's printed text under every
set_printoptions, load_state_dict's printed result, checkpoint files that are missing, folders
or damaged, collate of mixed dtypes, schedulers with total_iters=0, and `chainrule train` with a
--plot folder that cannot be made. torch 2.13 is the oracle for each."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr

pytestmark = pytest.mark.oracle

TENSORS = [
    lambda L: L.tensor([1.0, 2.0, 3.0]),
    lambda L: L.tensor([1.5, -2.25, 1e-5]),
    lambda L: L.tensor([1e10, 1.0]),
    lambda L: L.tensor([0.0, float("nan"), float("inf")]),
    lambda L: L.tensor([[1, 2], [300, -4]]),
    lambda L: L.tensor([True, False]),
    lambda L: L.tensor(3.5),
    lambda L: L.tensor(3.0),
    lambda L: L.tensor(7),
    lambda L: L.arange(2000.0),
    lambda L: L.arange(2000.0).reshape(40, 50) / 7,
    lambda L: L.arange(60.0).reshape(3, 4, 5) / 3,
    lambda L: L.zeros(0, 3),
    lambda L: L.zeros(0, dtype=L.int64),
    lambda L: L.zeros(3, dtype=L.float64),
    lambda L: L.zeros(3, dtype=L.uint8),
    lambda L: L.ones(30, requires_grad=True),
    lambda L: L.linspace(-1, 1, 33, dtype=L.float64),
    lambda L: L.tensor([1.0, 2.0]) * 1e-8,
    lambda L: L.tensor([-0.0, 0.0]),
    lambda L: L.tensor([123456.0, 0.5]),
]

OPTIONS = [
    {},
    {"precision": 2},
    {"precision": 8, "linewidth": 200},
    {"threshold": 5},
    {"threshold": 5, "edgeitems": 1},
    {"threshold": 5, "edgeitems": 0},
    {"linewidth": 30},
    {"sci_mode": True},
    {"sci_mode": False},
    {"profile": "short"},
    {"profile": "full"},
]


def _text(tensor) -> str:
    # suffixes wrap at linewidth, and "dtype=chainrule.float64" is longer than torch's name
    text = repr(tensor).replace("torch.", "chainrule.")
    return re.sub(r",\s+(?=(dtype|requires_grad|size|grad_fn)=)", ", ", text)


@pytest.fixture
def printoptions():
    yield
    for L in (cr, torch):
        L.set_printoptions(profile="default", sci_mode=None)


@pytest.mark.parametrize("options", OPTIONS, ids=[str(o) for o in OPTIONS])
def test_tensors_print_as_torch_prints_them_under_set_printoptions(options, printoptions):
    for L in (cr, torch):
        L.set_printoptions(profile="default")
        L.set_printoptions(**options)
    for make in TENSORS:
        assert _text(make(cr)) == _text(make(torch))


def test_str_and_print_follow_the_options_too(printoptions, capsys):
    cr.set_printoptions(precision=2)
    print(cr.tensor([1.23456, 2.0]))
    assert capsys.readouterr().out == "tensor([1.23, 2.00])\n"
    assert str(cr.tensor([1.23456])) == "tensor([1.23])"


def test_load_state_dict_result_prints_as_torch_prints_it():
    results = []
    for L in (cr, torch):
        layer = L.nn.Linear(2, 3)
        full = layer.load_state_dict(layer.state_dict())
        partial = layer.load_state_dict({"weight": layer.weight.detach()}, strict=False)
        results.append((str(full), repr(partial), partial.missing_keys, list(partial)))
    assert results[0] == results[1]
    assert results[0][0] == "<All keys matched successfully>"


def test_checkpoint_files_that_are_missing_folders_or_damaged_raise_torchs_classes(tmp_path):
    cases = [
        (tmp_path / "missing.pt", None, FileNotFoundError),
        (tmp_path, None, IsADirectoryError),
        (tmp_path / "empty.pt", b"", RuntimeError),
        (tmp_path / "zip.pt", b"PK\x03\x04" + bytes(20), RuntimeError),
    ]
    for path, content, family in cases:
        if content is not None:
            path.write_bytes(content)
        with pytest.raises(family, match=r"^load: expected a"):
            cr.load(path)
        with pytest.raises(cr.errors.CheckpointError):  # and still what chainrule raised before
            cr.load(path)
    with pytest.raises(FileNotFoundError):
        torch.load(tmp_path / "missing.pt")
    with pytest.raises(RuntimeError):
        torch.load(tmp_path / "zip.pt")


def test_collate_of_int_and_float_tensors_promotes_as_torch_stack():
    for samples in (
        lambda L: [L.zeros(2, dtype=L.int64), L.ones(2)],
        lambda L: [L.zeros(2, dtype=L.uint8), L.ones(2, dtype=L.int8)],
        lambda L: [np.zeros(2, np.int32), np.ones(2, np.float32)],
    ):
        (ours,) = list(cr.utils.data.DataLoader(samples(cr), batch_size=2))
        (theirs,) = list(torch.utils.data.DataLoader(samples(torch), batch_size=2))
        assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize(
    "name, options",
    [
        ("LinearLR", {"total_iters": 0}),
        ("LinearLR", {"total_iters": 0, "start_factor": 0.5, "end_factor": 0.9}),
        ("PolynomialLR", {"total_iters": 0}),
        ("PolynomialLR", {"total_iters": 0, "power": 2.0}),
    ],
)
def test_schedulers_with_zero_total_iters_follow_torch(name, options):
    lrs = []
    for L in (cr, torch):
        optimizer = L.optim.SGD([L.nn.Parameter(L.zeros(2))], lr=0.1)
        scheduler = getattr(L.optim.lr_scheduler, name)(optimizer, **options)
        seen = []
        for _ in range(4):
            optimizer.step()
            scheduler.step()
            seen.append(optimizer.param_groups[0]["lr"])
        lrs.append(seen)
    np.testing.assert_allclose(lrs[0], lrs[1], rtol=1e-12)


def test_data_and_backward_refuse_lists_and_keep_tensors_working():
    x = cr.ones(2, requires_grad=True)
    x.data = cr.zeros(2)
    x.data = np.full(2, 3.0, np.float32)  # an ndarray is chainrule's tensor data: accepted
    (x * 2).backward(cr.ones(2))
    assert x.grad.tolist() == [2.0, 2.0] and x.tolist() == [3.0, 3.0]
    with pytest.raises(TypeError, match=r"^Tensor.data: expected the new data to be a Tensor"):
        x.data = None


def test_train_with_a_plot_folder_that_cannot_be_made_fails_before_training(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    src = str(Path(cr.__file__).parent.parent)
    result = subprocess.run(
        [sys.executable, "-m", "chainrule", "train", "--dataset", "iris", "--epochs", "1",
         "--plot", str(blocker / "figures"), "--save", str(tmp_path / "run.npz")],
        capture_output=True, text=True, timeout=300, env={"PYTHONPATH": src, "MPLBACKEND": "Agg"},
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "chainrule train: --plot: expected a folder that can be created" in result.stderr
    assert "epoch" not in result.stdout + result.stderr  # refused before the first epoch
    assert not (tmp_path / "run.npz").exists()


def test_docs_errors_quotes_what_chainrule_prints_for_this_round():
    errors = (Path(__file__).parent.parent / "docs" / "errors.md").read_text()
    for call in (
        lambda: cr.tensor(256, dtype=cr.uint8),
        lambda: cr.zeros(10**6, 10**6),
        lambda: cr.sort([3.0, 1.0]),
    ):
        with pytest.raises(cr.errors.ChainruleError) as raised:
            call()
        headline = f"{type(raised.value).__name__}: {str(raised.value).splitlines()[0]}"
        headline = re.sub(r"\(\d+ GiB\)", "(24 GiB)", headline)  # this machine's memory
        assert f"**`{headline}`**" in errors
