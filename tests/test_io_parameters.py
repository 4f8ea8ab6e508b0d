"""A saved nn.Parameter loads as a Parameter, and a tensor that requires grad as one that does,
in chainrule's own format and in torch.save's, both ways with torch 2.13 (io_leaves.py)."""

import json
import zipfile

import numpy as np
import pytest
import torch

import chainrule as cr


def _kinds(tree):
    return {k: (type(v).__name__, bool(v.requires_grad)) for k, v in tree.items()}


def _checkpoint(lib):
    return {
        "p": lib.nn.Parameter(lib.tensor([1.0, 2.0])),
        "frozen": lib.nn.Parameter(lib.tensor([5.0]), requires_grad=False),
        "t": lib.tensor([3.0], requires_grad=True),
        "plain": lib.tensor([4.0]),
    }


WANT = {
    "p": ("Parameter", True),
    "frozen": ("Parameter", False),
    "t": ("Tensor", True),
    "plain": ("Tensor", False),
}


@pytest.mark.parametrize("suffix", [".pt", ".npz"])
def test_a_round_trip_keeps_parameters_and_requires_grad(tmp_path, suffix):
    path = tmp_path / f"c{suffix}"
    cr.save(_checkpoint(cr), path)
    back = cr.load(path)
    assert _kinds(back) == WANT
    assert back["p"].is_leaf and back["t"].is_leaf
    np.testing.assert_array_equal(back["p"].detach().numpy(), [1.0, 2.0])
    cr.save({"nested": [_checkpoint(cr)["p"], (1, _checkpoint(cr)["t"])]}, path)
    nested = cr.load(path)["nested"]
    assert type(nested[0]).__name__ == "Parameter" and nested[1][1].requires_grad


def test_torch_reads_ours_as_it_reads_its_own(tmp_path):
    cr.save(_checkpoint(cr), tmp_path / "ours.pt")
    torch.save(_checkpoint(torch), tmp_path / "theirs.pt")
    ours, theirs = torch.load(tmp_path / "ours.pt"), torch.load(tmp_path / "theirs.pt")
    assert _kinds(ours) == _kinds(theirs) == WANT
    for key in WANT:
        assert torch.equal(ours[key], theirs[key])


def test_we_read_torchs_as_torch_does(tmp_path):
    torch.save(_checkpoint(torch), tmp_path / "theirs.pt")
    assert _kinds(cr.load(tmp_path / "theirs.pt")) == WANT


def test_a_state_dict_still_holds_plain_tensors(tmp_path):
    model = cr.nn.Linear(2, 3)
    cr.save(model.state_dict(), tmp_path / "sd.pt")
    assert all(
        kind == ("Tensor", False) for kind in _kinds(torch.load(tmp_path / "sd.pt")).values()
    )
    cr.save(model.state_dict(keep_vars=True), tmp_path / "vars.pt")
    assert _kinds(cr.load(tmp_path / "vars.pt"))["weight"] == ("Parameter", True)


def test_a_crafted_flag_is_not_taken_for_more_than_it_says(tmp_path):
    """requires_grad must be the JSON true, and only a float array can have it."""
    path = tmp_path / "c.npz"
    cr.save({"w": cr.nn.Parameter(cr.tensor([1.0]))}, path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    header_name = next(n for n in members if n.startswith("__chainrule__"))
    header_array = np.load(path)["__chainrule__"]
    header = json.loads(header_array.tobytes().decode())
    node = header["tree"]["__dict__"][0][1]
    assert node["parameter"] is True and node["requires_grad"] is True
    node["requires_grad"] = "yes"
    crafted = tmp_path / "crafted.npz"
    arrays = {k: v for k, v in np.load(path).items()}
    arrays["__chainrule__"] = np.frombuffer(json.dumps(header).encode(), np.uint8)
    np.savez(crafted, **arrays)
    assert header_name.endswith(".npy")
    back = cr.load(crafted)["w"]
    assert type(back).__name__ == "Parameter" and not back.requires_grad
    ints = tmp_path / "ints.pt"
    cr.save({"i": cr.nn.Parameter(cr.tensor([1, 2]), requires_grad=False)}, ints)
    assert _kinds(cr.load(ints)) == {"i": ("Parameter", False)}
