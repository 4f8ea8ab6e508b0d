"""Checkpoints: round trips, atomic writes, no pickle, clear errors."""

import zipfile

import numpy as np
import pytest

import chainrule as cr
from chainrule import CheckpointError, StateDictError, nn, optim

pytestmark = pytest.mark.usefixtures("float64_default")  # these tests check float64 numerics


def _model(seed=0):
    return nn.Sequential(
        nn.Linear(3, 4, generator=seed),
        nn.ReLU(),
        nn.BatchNorm1d(4),
        nn.Linear(4, 2, generator=seed),
    )


def test_model_and_optimizer_round_trip(tmp_path):
    model = _model()
    opt = optim.Adam(model.parameters(), lr=0.01, betas=(0.8, 0.9))
    model(cr.randn(5, 3, generator=1)).sum().backward()
    opt.step()
    path = cr.save(
        {
            "model": model.state_dict(),
            "optimizer": opt.state_dict(),
            "epoch": 3,
            "note": "hello",
            "rng": np.random.default_rng(0).bit_generator.state,
        },
        tmp_path / "c.npz",
    )
    state = cr.load(path)
    assert state["epoch"] == 3 and state["note"] == "hello"
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(state["model"][key], value)
        assert state["model"][key].dtype == value.dtype
    other = _model(seed=5)
    other.load_state_dict(state["model"])
    opt2 = optim.Adam(other.parameters(), lr=0.5)
    opt2.load_state_dict(state["optimizer"])
    assert opt2.param_groups[0]["lr"] == 0.01 and tuple(opt2.param_groups[0]["betas"]) == (0.8, 0.9)
    assert np.random.default_rng(1).bit_generator.state != state["rng"]


def test_a_crash_mid_write_leaves_the_previous_checkpoint_intact(tmp_path, monkeypatch):
    path = tmp_path / "c.npz"
    cr.save({"model": _model(0).state_dict()}, path)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(
        CheckpointError, match=r"save: expected to write the checkpoint .*c.npz, got disk full"
    ):
        cr.save({"model": _model(1).state_dict()}, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["c.npz"]  # no temporary left behind
    monkeypatch.undo()
    np.testing.assert_array_equal(
        cr.load(path)["model"]["0.weight"], _model(0).state_dict()["0.weight"]
    )


def test_a_pickled_object_is_refused_without_running_it(tmp_path):
    import pickle

    class Boom:
        def __reduce__(self):
            return (open, (str(tmp_path / "pwned"), "w"))

    path = tmp_path / "evil.npz"
    header = np.frombuffer(
        b'{"format": "chainrule-checkpoint", "version": 1, "tree": {"__array__": "a0"}}', np.uint8
    )
    with zipfile.ZipFile(path, "w") as archive:
        with archive.open("__chainrule__.npy", "w") as handle:
            np.lib.format.write_array(handle, header)
        with archive.open("a0.npy", "w") as handle:
            np.lib.format.write_array(handle, np.array([Boom()], dtype=object), allow_pickle=True)
    assert pickle  # the payload above needs pickle to build; loading must not
    with pytest.raises(CheckpointError, match="needs pickle"):
        cr.load(path)
    assert not (tmp_path / "pwned").exists()


def test_missing_truncated_and_foreign_files_are_explained(tmp_path):
    with pytest.raises(
        CheckpointError, match="load: expected a checkpoint file at .*missing.npz, got no such file"
    ):
        cr.load(tmp_path / "missing.npz")
    path = cr.save({"w": np.arange(1000.0)}, tmp_path / "c.npz")
    (tmp_path / "cut.npz").write_bytes(path.read_bytes()[:200])
    with pytest.raises(CheckpointError, match="damaged or foreign file"):
        cr.load(tmp_path / "cut.npz")
    np.savez(tmp_path / "plain.npz", w=np.zeros(3))
    with pytest.raises(CheckpointError, match="without a chainrule header"):
        cr.load(tmp_path / "plain.npz")
    (tmp_path / "text.npz").write_text("not a zip")
    with pytest.raises(CheckpointError, match="damaged or foreign"):
        cr.load(tmp_path / "text.npz")


def test_unsavable_objects_are_named(tmp_path):
    with pytest.raises(
        CheckpointError,
        match="save: expected arrays, numbers, strings, lists or dicts, got Sequential at checkpoint.model",
    ):
        cr.save({"model": _model()}, tmp_path / "c.npz")


def test_checkpoint_from_another_architecture_names_the_first_mismatch(tmp_path):
    cr.save({"model": _model().state_dict()}, tmp_path / "c.npz")
    wider = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.BatchNorm1d(8), nn.Linear(8, 2))
    with pytest.raises(StateDictError, match=r"expected 0.weight of shape \(8, 3\), got \(4, 3\)"):
        wider.load_state_dict(cr.load(tmp_path / "c.npz")["model"])
