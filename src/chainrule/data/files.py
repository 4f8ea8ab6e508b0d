"""Loaders for a user's own files: CSV (features + a target column) and MNIST-format IDX."""

from __future__ import annotations

import csv
import gzip
import struct
import zlib
from pathlib import Path

import numpy as np

from .._checks import fail_value

_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_IDX_CODES = {np.dtype(v).newbyteorder("=").str: k for k, v in _IDX_TYPES.items()}


def load_csv(
    path: str | Path, target: str, delimiter: str = ","
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Read a CSV with a header row: returns X (every other column), y (``target``), feature names.

    Every value must be numeric; the error names the file, line and column of the first that is not.
    """
    path = Path(path)
    who = f"load_csv({path.name})"
    if path.is_dir():
        raise IsADirectoryError(f"load_csv: expected a CSV file at {path}, got a folder.")
    if not path.is_file():
        raise FileNotFoundError(f"load_csv: expected a CSV file at {path}, got no such file.")
    rows = _read_rows(path, who, delimiter)
    if len(rows) < 2:
        fail_value(who, "a header row and at least one data row", f"{len(rows)} rows")
    header = [h.strip() for h in rows[0]]
    if target not in header:
        fail_value(
            who,
            f"a target column named {target!r}",
            f"columns {header}",
            "pass --target with one of the column names above.",
        )
    seen: set[str] = set()
    for column, name in enumerate(header):
        if not name:
            fail_value(
                who,
                "a name for every column in the header",
                f"an empty name for column {column + 1}",
            )
        if name in seen:
            # A second copy of the target would leak the answer into the features.
            fail_value(
                who,
                "column names that appear once",
                f"{name!r} twice",
                "rename or drop the repeated column.",
            )
        seen.add(name)
    if len(header) < 2:
        fail_value(who, "at least one feature column besides the target", f"only {target!r}")
    values = np.empty((len(rows) - 1, len(header)), dtype=np.float64)
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            fail_value(
                f"load_csv({path.name})", f"{len(header)} values on line {line}", f"{len(row)}"
            )
        for column, cell in enumerate(row):
            try:
                values[line - 2, column] = float(cell)
            except ValueError:
                fail_value(
                    f"load_csv({path.name})",
                    f"a number in column {header[column]!r} on line {line}",
                    repr(cell),
                    "encode categories as numbers before training.",
                )
    if not np.isfinite(values).all():
        bad_line, bad_column = np.argwhere(~np.isfinite(values))[0]
        fail_value(
            f"load_csv({path.name})",
            f"finite numbers in column {header[bad_column]!r}",
            f"{values[bad_line, bad_column]} on line {bad_line + 2}",
        )
    index = header.index(target)
    features = [h for i, h in enumerate(header) if i != index]
    return np.delete(values, index, axis=1), values[:, index], features


def _read_rows(path: Path, who: str, delimiter: str) -> list[list[str]]:
    """Non-blank rows of a UTF-8 CSV (a byte-order mark is allowed, as spreadsheets write one)."""
    reader = None
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            rows = list(reader)
    except UnicodeDecodeError as error:
        fail_value(
            who,
            "UTF-8 text",
            f"byte 0x{error.object[error.start]:02x} at offset {error.start}, which is not UTF-8",
            "re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8).",
        )
    except csv.Error as error:  # a cell over csv.field_size_limit(), a NUL byte, ...
        fail_value(
            who,
            "a well-formed CSV file",
            f"{error} on line {reader.line_num if reader else 1}",
            "a cell longer than 131072 characters is not a number: check the delimiter and quotes.",
        )
    return [r for r in rows if any(cell.strip() for cell in r)]


def _open(path: Path):
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else path.open("rb")


def load_idx(path: str | Path) -> np.ndarray:
    """Read an IDX file (the MNIST format), raw or gzip-compressed.

    The header is read first and at most the size it declares is decompressed, in chunks, so a
    small .gz that would inflate to gigabytes costs no more memory than the data it claims to hold.
    """
    path = Path(path)
    who = f"load_idx({path.name})"
    if path.is_dir():
        raise IsADirectoryError(f"load_idx: expected an IDX file at {path}, got a folder.")
    if not path.is_file():
        raise FileNotFoundError(f"load_idx: expected an IDX file at {path}, got no such file.")
    try:
        with _open(path) as handle:
            magic = handle.read(4)
            if len(magic) < 4 or magic[0] != 0 or magic[1] != 0 or magic[2] not in _IDX_TYPES:
                fail_value(
                    who,
                    "an IDX header (0x00 0x00 type ndim)",
                    repr(magic),
                    "is this an MNIST file, and is it fully downloaded?",
                )
            dtype, ndim = np.dtype(_IDX_TYPES[magic[2]]), magic[3]
            if not 1 <= ndim <= 32:  # NumPy holds at most 64 axes; MNIST's files have 1 or 3
                fail_value(who, "1 to 32 dimensions in the IDX header", str(ndim))
            dims = handle.read(4 * ndim)
            if len(dims) < 4 * ndim:
                fail_value(
                    who,
                    f"{ndim} dimension sizes in the header",
                    f"{len(dims)} of {4 * ndim} bytes",
                    "the file looks truncated.",
                )
            shape = struct.unpack(f">{ndim}I", dims)
            expected = int(np.prod(shape, dtype=object)) * dtype.itemsize
            body = _read_at_most(handle, expected + 1)  # one byte more tells trailing data apart
    except (EOFError, OSError, zlib.error) as error:
        fail_value(
            who,
            "a complete IDX file",
            f"{type(error).__name__}: {error}",
            "the file looks truncated or damaged; download it again.",
        )
    if len(body) != expected:
        fail_value(
            who,
            f"{expected} bytes of data for shape {shape}",
            f"{len(body)}" if len(body) < expected else "more (trailing data)",
            "the file looks truncated."
            if len(body) < expected
            else "is this the file the header describes?",
        )
    return np.frombuffer(body, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))


def _read_at_most(handle, limit: int, chunk: int = 1 << 20) -> bytes:
    """Up to ``limit`` bytes, read in chunks so that a size declared by the file but not backed
    by data allocates nothing (read(n) would reserve n bytes up front)."""
    parts, total = [], 0
    while total < limit:
        part = handle.read(min(chunk, limit - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
    return b"".join(parts)


def save_idx(array: np.ndarray, path: str | Path) -> None:
    """Write an IDX file (gzip-compressed when the name ends in .gz)."""
    array = np.asarray(array)
    code = _IDX_CODES.get(array.dtype.str)
    if code is None:
        fail_value(
            "save_idx", "dtype uint8, int8, int16, int32, float32 or float64", str(array.dtype)
        )
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + array.astype(_IDX_TYPES[code]).tobytes()
    path = Path(path)
    if not 1 <= array.ndim <= 32 or path.is_dir():
        got = f"the folder {path}" if path.is_dir() else f"{array.ndim} dimensions"
        fail_value("save_idx", "an array of 1 to 32 dimensions and a file path", got)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wb") as handle:
        handle.write(payload)


def load_mnist(images: str | Path, labels: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """MNIST-format images and labels: X of shape (n, rows * cols) scaled to [0, 1], y as int64."""
    X = load_idx(images)
    y = load_idx(labels)
    who = f"load_mnist({Path(images).name}, {Path(labels).name})"
    if X.ndim < 2 or X.dtype != np.uint8:
        fail_value(
            who,
            "images as uint8 of shape (n, rows, cols)",
            f"{X.dtype} of shape {X.shape}",
            "are the images and labels files swapped?" if X.ndim == 1 else None,
        )
    if y.ndim != 1 or y.dtype.kind not in "iu" or (y.size and y.min() < 0):
        got = (
            f"{y.dtype} of shape {y.shape}"
            if y.ndim != 1 or y.dtype.kind not in "iu"
            else f"label {y.min()}"
        )
        fail_value(who, "labels as non-negative integers of shape (n,)", got)
    if len(X) == 0:
        fail_value(who, "at least one image", "none")
    if len(X) != len(y):
        fail_value("load_mnist", f"as many labels as images ({len(X)})", str(len(y)))
    return X.reshape(len(X), -1).astype(np.float32) / 255.0, y.astype(np.int64)
