"""Checkpoints under attack: decompression bombs, flipped bits, crafted headers, killed saves,
and the file mode. Every failure is a CheckpointError that says what was wrong."""

import os
import zipfile

import numpy as np
import pytest

import chainrule as cr
from chainrule import CheckpointError


def _state():
    return {
        "model": {"w": np.arange(64, dtype=np.float32).reshape(8, 8), "b": np.zeros(8, np.float32)},
        "epoch": 3,
        "history": {"loss": [1.0, float("nan")]},
    }


def test_a_compressed_bomb_is_refused_before_it_is_decompressed(tmp_path):
    path = tmp_path / "bomb.npz"
    header = np.frombuffer(
        b'{"format": "chainrule-checkpoint", "version": 1, "tree": {"__array__": "a0"}}', np.uint8
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("__chainrule__.npy", "w") as handle:
            np.lib.format.write_array(handle, header)
        with archive.open("a0.npy", "w", force_zip64=True) as handle:
            np.lib.format.write_array(
                handle, np.zeros(2**25)
            )  # 256 MiB of zeros, a few hundred KiB on disk
    assert path.stat().st_size < 2**20
    with pytest.raises(
        CheckpointError, match=r"would decompress to \d+ bytes from a file of \d+ bytes"
    ):
        cr.load(path)


def test_a_member_whose_shape_lies_about_its_size_is_refused(tmp_path):
    path = cr.save({"w": np.zeros(4)}, tmp_path / "c.npz")
    raw = bytearray(path.read_bytes())
    at = raw.find(b"(4,)")
    raw[at : at + 4] = b"(9,)"
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


@pytest.mark.parametrize(
    "header, needle",
    [
        (b'["chainrule-checkpoint", 1]', "expected format 'chainrule-checkpoint'.*got 'list'"),
        (
            b'{"format": "chainrule-checkpoint", "version": 7, "tree": 1}',
            "expected a version 1 header",
        ),
        (
            b'{"format": "chainrule-checkpoint", "version": 1, "tree": {"__array__": "a9"}}',
            r"damaged or foreign file \(KeyError",
        ),
        (
            b'{"format": "chainrule-checkpoint", "version": 1, "tree": {"__dict__": [[1.5, 2]]}}',
            "damaged or foreign file",
        ),
        (
            b'{"format": "chainrule-checkpoint", "version": 1, "tree": {"__weird__": 1}}',
            "an unknown node",
        ),
    ],
)
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
    with pytest.raises(
        CheckpointError, match="save: expected a file path for the checkpoint, got the folder"
    ):
        cr.save(_state(), tmp_path)
    (tmp_path / "f").write_text("x")
    with pytest.raises(
        CheckpointError, match=r"save: expected a folder at .*f to hold c.npz, got a file"
    ):
        cr.save(_state(), tmp_path / "f" / "c.npz")
    with pytest.raises(
        CheckpointError, match="load: expected a checkpoint file at .*, got a folder"
    ):
        cr.load(tmp_path)


def _training(tmp_path, name="run", epoch=3):
    state = {**_state(), "epoch": epoch, "optimizer": {"m": np.full(8, float(epoch))}}
    return cr.save(state, tmp_path / f"{name}.safetensors")


def _copy_pair(tmp_path, old, new):
    for suffix in (".safetensors", ".state.npz"):
        (tmp_path / f"{new}{suffix}").write_bytes((tmp_path / f"{old}{suffix}").read_bytes())


def test_a_copied_or_renamed_safetensors_pair_reads_its_own_sidecar(tmp_path):
    pytest.importorskip("safetensors")
    _training(tmp_path, "run", epoch=3)
    _copy_pair(tmp_path, "run", "snap")
    _training(tmp_path, "run", epoch=5)  # the original moves on; the snapshot must not follow it
    snap = cr.load(tmp_path / "snap.safetensors")
    assert snap["epoch"] == 3 and np.array_equal(snap["optimizer"]["m"], np.full(8, 3.0))
    for suffix in (".safetensors", ".state.npz"):
        os.rename(tmp_path / f"run{suffix}", tmp_path / f"moved{suffix}")
    assert cr.load(tmp_path / "moved.safetensors")["optimizer"]["m"][0] == 5.0


def test_a_safetensors_pair_from_two_saves_is_refused(tmp_path):
    pytest.importorskip("safetensors")
    _training(tmp_path, "old", epoch=3)
    _training(tmp_path, "run", epoch=4)
    # as if killed between the two renames: new state beside old weights
    (tmp_path / "run.safetensors").write_bytes((tmp_path / "old.safetensors").read_bytes())
    with pytest.raises(
        CheckpointError,
        match=r"expected run.safetensors and run.state.npz from one save, "
        r"got a pair written by different saves",
    ):
        cr.load(tmp_path / "run.safetensors")


def _tensor_offset(raw, name):
    import json

    length = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + length])
    return 8 + length + header[name]["data_offsets"][0], length, header


def test_a_flipped_bit_in_a_safetensors_weight_is_refused_naming_the_tensor(tmp_path):
    pytest.importorskip("safetensors")
    path = _training(tmp_path)
    raw = bytearray(path.read_bytes())
    start, _, _ = _tensor_offset(raw, "w")
    raw[start + 4 * 9 + 3] ^= (
        0x40  # the top exponent bit of w[1, 1]: 9.0 becomes a tiny, finite number
    )
    path.write_bytes(bytes(raw))
    with pytest.raises(
        CheckpointError, match=r"expected tensor 'w' in .* as it was saved, got bytes whose sha256"
    ):
        cr.load(path)


def test_a_relabelled_safetensors_dtype_is_refused(tmp_path):
    pytest.importorskip("safetensors")
    path = _training(tmp_path)
    raw = path.read_bytes()
    _, _, header = _tensor_offset(raw, "w")
    assert header["w"]["dtype"] == "F32"
    # same bytes, read as integers: the header keeps its length, so the file stays well-formed
    path.write_bytes(raw.replace(b'"w":{"dtype":"F32"', b'"w":{"dtype":"I32"', 1))
    assert _tensor_offset(path.read_bytes(), "w")[2]["w"]["dtype"] == "I32"
    with pytest.raises(
        CheckpointError, match=r"expected tensor 'w' .* got dtype <i4 where <f4 was written"
    ):
        cr.load(path)
