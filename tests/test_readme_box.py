"""The README's inventory stays true after parallel edits: the files it names exist, the layers it
lists are there, what it calls "not yet" is still missing, and its one-line claims hold."""

import math
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

import chainrule as cr
from chainrule import errors, nn

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text()
DOCS = {
    name: (ROOT / name).read_text()
    for name in ("README.md", "docs/READING.md", "docs/check.md", "docs/errors.md")
}
BOX = README[README.index("## What is in the box") : README.index("### How it is tested")]
# A bare file name in the prose is relative to one of these folders.
FOLDERS = ("", "src/", "src/chainrule/", "src/chainrule/functional/", "src/chainrule/nn/",
           "src/chainrule/optim/", "src/chainrule/data/", "src/chainrule/autograd/", "docs/",
           "notebooks/", "tests/", "tests/check/", "bench/")  # fmt: skip


def _tracked() -> set[str]:
    try:
        listing = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return set(listing.stdout.split())


def test_every_file_the_readme_and_docs_name_exists():
    tracked = _tracked()
    missing = []
    for doc, text in DOCS.items():
        for path in re.findall(r"`([\w./-]+\.(?:py|md|ipynb))[`:]", text):
            if not any(folder + path in tracked for folder in FOLDERS):
                missing.append(f"{doc}: {path}")
    assert not missing


def _layer_names(section: str) -> set[str]:
    """`MaxPool1d/2d` and `ZeroPad`, each `1d`, `2d` and `3d`, stand for several classes."""
    names = set()
    for name in re.findall(r"`(?:nn\.)?([A-Z][A-Za-z0-9]+(?:/[0-9]d)*)", section):
        stem, *more = name.split("/")
        names.add(stem)
        names.update(stem[:-2] + dim for dim in more)
    return names


def test_the_layers_and_losses_the_readme_lists_exist():
    section = BOX[BOX.index("### nn layers") : BOX.index("### Optimizers")]
    padding = {f"{kind}{dim}" for kind in ("ZeroPad", "ConstantPad", "ReflectionPad", "ReplicationPad", "CircularPad")
               for dim in ("1d", "2d", "3d")}  # fmt: skip
    not_classes = {"F", "Functions", "BackwardHook", "AssertionError", "ZeroPad", "ConstantPad",
                   "ReflectionPad", "ReplicationPad", "CircularPad", "CPUGraph", "PackedSequence"}  # fmt: skip
    wanted = (_layer_names(section) - not_classes) | padding
    assert len(wanted) > 100
    assert sorted(name for name in wanted if not hasattr(nn, name)) == []


def test_what_the_readme_calls_not_yet_is_still_missing():
    not_yet = README[README.index("Not yet:") :].split("\n\n")[0]
    assert "lanczos" in not_yet
    with pytest.raises(errors.ArgumentError):
        nn.functional.interpolate(cr.randn(1, 1, 4, 4), scale_factor=2, mode="lanczos")
    with pytest.raises(errors.ArgumentError):
        nn.InstanceNorm1d(3, track_running_stats=True)
    for came_since in ("conv3d", "F.fold", "nn.Bilinear", "local_response_norm", "ctc_loss"):
        assert came_since not in not_yet


def test_the_errors_table_gives_each_class_its_bases():
    table = re.findall(r"^\| `(\w+)` \| (.*?) \|", DOCS["docs/errors.md"], re.M)
    assert len(table) >= 12
    for name, bases in table:
        cls = getattr(errors, name, None) or getattr(cr, name)
        ancestors = {klass.__name__ for klass in cls.__mro__}
        for base in re.findall(r"`(\w+)`", bases.split("(")[0]):
            assert base in ancestors, (name, base)


def test_one_line_claims_of_the_readme():
    with pytest.raises(TypeError):
        cr.randn(2.5)
    assert cr.tensor(np.array([1.0])).dtype == np.float64
    assert cr.float32 is np.dtype("float32")
    assert (cr.tensor([-1.0]) % math.inf).item() == math.inf
    assert math.isnan((cr.tensor([math.inf]) % 2).item())
    assert cr.tensor([0.5, 0.5]).sum(dtype=cr.int64).item() == 0
    assert (cr.tensor([4]) ** 0.5).dtype == np.float32 and (2 ** cr.tensor([3])).dtype == np.int64
    assert (cr.tensor([True]) & 1).dtype == np.int64
    model = nn.Linear(2, 2)
    assert cr.compile(model) is model and cr.jit.script(model) is model
    state = cr.get_rng_state()
    assert state.dtype == np.uint8 and tuple(state.shape) == (37,)
    assert not cr.cuda.is_available() and cr.cuda.memory_allocated() == 0
    assert "weight" in dict(nn.MultiMarginLoss(weight=cr.ones(3)).named_buffers())
