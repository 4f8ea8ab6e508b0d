"""Hostile IDX (MNIST) files: a .gz bomb is read no further than its header declares, and a
file cut anywhere (header, body, gzip stream) is a one-line ValueError naming the file."""

import gzip
import struct

import numpy as np
import pytest

from chainrule.data.files import load_idx, save_idx


def test_a_gz_bomb_is_decompressed_no_further_than_its_header_declares(tmp_path, monkeypatch):
    path = tmp_path / "bomb.gz"
    header = bytes([0, 0, 0x08, 3]) + struct.pack(">3I", 200, 28, 28)
    with gzip.open(path, "wb") as handle:
        handle.write(header + bytes(200 * 28 * 28))
        for _ in range(64):  # 64 MiB of trailing zeros, about 64 KiB on disk
            handle.write(bytes(1 << 20))
    assert path.stat().st_size < 1 << 20
    sizes = []
    real_read = gzip.GzipFile.read

    def counting_read(self, size=-1):
        data = real_read(self, size)
        sizes.append(len(data))
        return data

    monkeypatch.setattr(gzip.GzipFile, "read", counting_read)
    with pytest.raises(
        ValueError,
        match=r"load_idx\(bomb.gz\): expected 156800 bytes of data for shape "
        r"\(200, 28, 28\), got more \(trailing data\)",
    ):
        load_idx(path)
    assert sum(sizes) <= len(header) + 200 * 28 * 28 + 1


def test_a_size_declared_but_not_there_allocates_nothing_big(tmp_path):
    path = tmp_path / "huge"
    path.write_bytes(bytes([0, 0, 0x08, 3]) + struct.pack(">3I", 2**31, 2**31, 4) + b"\0" * 10)
    with pytest.raises(
        ValueError, match=r"load_idx\(huge\): expected 18446744073709551616 bytes .* got 10"
    ):
        load_idx(path)


@pytest.mark.parametrize(
    "cut, pattern",
    [
        (6, r"load_idx\(x.idx\): expected 3 dimension sizes in the header, got 2 of 12 bytes"),
        (
            2,
            r"load_idx\(x.idx\): expected an IDX header \(0x00 0x00 type ndim\), got b'\\x00\\x00'",
        ),
        (30, r"load_idx\(x.idx\): expected 24 bytes of data for shape \(2, 3, 4\), got 14"),
    ],
)
def test_a_raw_file_cut_anywhere_is_a_clear_error(tmp_path, cut, pattern):
    path = tmp_path / "x.idx"
    save_idx(np.arange(24, dtype=np.uint8).reshape(2, 3, 4), path)
    raw = path.read_bytes()
    assert load_idx(path).shape == (2, 3, 4) and len(raw) == 40
    path.write_bytes(raw[:cut])
    with pytest.raises(ValueError, match=pattern):
        load_idx(path)


def test_a_truncated_gzip_stream_is_a_clear_error(tmp_path):
    path = tmp_path / "x.gz"
    save_idx(np.random.default_rng(0).integers(0, 255, (50, 28, 28), dtype=np.uint8), path)
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(
        ValueError,
        match=r"load_idx\(x.gz\): expected a complete IDX file, got EOFError: .*\n"
        r"Hint: the file looks truncated or damaged",
    ):
        load_idx(path)
