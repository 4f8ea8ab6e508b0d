"""Checkpoints under attack: decompression bombs, flipped bits, crafted headers, killed saves,
and the file mode. Every failure is a CheckpointError that says what was wrong."""

import os
import zipfile

import numpy as np
import pytest

import chainrule as cr
from chainrule import CheckpointError


def _state():
    return {"model": {"w": np.arange(64, dtype=np.float32).reshape(8, 8), "b": np.zeros(8, np.float32)},
            "epoch": 3, "history": {"loss": [1.0, float("nan")]}}


def test_a_compressed_bomb_is_refused_before_it_is_decompressed(tmp_path):
    path = tmp_path / "bomb.npz"
    header = np.frombuffer(b'{"format": "chainrule-checkpoint", "version": 1, "tree": {"__array__": "a0"}}', np.uint8)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("__chainrule__.npy", "w") as handle:
            np.lib.format.write_array(handle, header)
        with archive.open("a0.npy", "w", force_zip64=True) as handle:
            np.lib.format.write_array(handle, np.zeros(2 ** 25))  # 256 MiB of zeros, a few hundred KiB on disk
    assert path.stat().st_size < 2 ** 20
    with pytest.raises(CheckpointError, match=r"would decompress to \d+ bytes from a file of \d+ bytes"):
        cr.load(path)


def test_a_member_whose_shape_lies_about_its_size_is_refused(tmp_path):
    path = cr.save({"w": np.zeros(4)}, tmp_path / "c.npz")
    raw = bytearray(path.read_bytes())
    at = raw.find(b"(4,)")
    raw[at:at + 4] = b"(9,)"
    (tmp_path / "lie.npz").write_bytes(bytes(raw))
    with pytest.raises(CheckpointError, match="damaged or foreign file"):
        cr.load(tmp_path / "lie.npz")


def test_every_flipped_bit_gives_a_checkpoint_error_that_never_blames_pickle(tmp_path):
    good = cr.save(_state(), tmp_path / "good.npz").read_bytes()
    rng = np.random.default_rng(0)
    outcomes = set()
    for position in rng.choice(len(good) * 8, size=300, replace=False):
        flipped = bytearray(good)
        flipped[position // 8] ^= 1 << (position % 8)
        (tmp_path / "f.npz").write_bytes(bytes(flipped))
        try:
            loaded = cr.load(tmp_path / "f.npz")
        except CheckpointError as error:
            assert "pickle" not in str(error)
            outcomes.add("refused")
        else:  # a flip in bytes nobody reads (zip timestamps, padding) changes nothing
            np.testing.assert_array_equal(loaded["model"]["w"], _state()["model"]["w"])
            outcomes.add("same")
    assert "refused" in outcomes


@pytest.mark.parametrize("header, needle", [
    (b'["chainrule-checkpoint", 1]', "expected format 'chainrule-checkpoint'.*got 'list'"),
    (b'{"format": "chainrule-checkpoint", "version": 7, "tree": 1}', "expected a version 1 header"),
    (b'{"format": "chainrule-checkpoint", "version": 1, "tree": {"__array__": "a9"}}', r"damaged or foreign file \(KeyError"),
    (b'{"format": "chainrule-checkpoint", "version": 1, "tree": {"__dict__": [[1.5, 2]]}}', "damaged or foreign file"),
    (b'{"format": "chainrule-checkpoint", "version": 1, "tree": {"__weird__": 1}}', "an unknown node"),
])
def test_crafted_headers_are_refused(tmp_path, header, needle):
    np.savez(tmp_path / "c.npz", __chainrule__=np.frombuffer(header, np.uint8))
    with pytest.raises(CheckpointError, match=needle):
        cr.load(tmp_path / "c.npz")


def test_non_finite_floats_round_trip(tmp_path):
    state = cr.load(cr.save(_state(), tmp_path / "c.npz"))
    assert state["history"]["loss"][0] == 1.0 and np.isnan(state["history"]["loss"][1])


def test_a_killed_save_leaves_a_named_temporary_that_the_next_save_removes(tmp_path):
    dead = tmp_path / ".c.npz.999999999.deadbeef.chainrule-partial"  # no such pid
    dead.write_bytes(b"half a checkpoint")
    cr.save(_state(), tmp_path / "c.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.npz"]


def test_the_file_mode_follows_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        path = cr.save(_state(), tmp_path / "c.npz")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


def test_saving_into_a_folder_or_under_a_file_is_explained(tmp_path):
    with pytest.raises(CheckpointError, match="save: expected a file path for the checkpoint, got the folder"):
        cr.save(_state(), tmp_path)
    (tmp_path / "f").write_text("x")
    with pytest.raises(CheckpointError, match=r"save: expected a folder at .*f to hold c.npz, got a file"):
        cr.save(_state(), tmp_path / "f" / "c.npz")
    with pytest.raises(CheckpointError, match="load: expected a checkpoint file at .*, got a folder"):
        cr.load(tmp_path)
