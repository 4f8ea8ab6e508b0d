"""TensorBoard's event files, written by hand: TFRecord framing around protobuf messages.

A TFRecord is ``length (uint64 LE) | masked crc32c(length) | data | masked crc32c(data)``; the
data is one ``Event`` message. Protobuf's wire format needs only four field kinds here (varint,
64-bit double, 32-bit float, length-delimited), so a few lines replace the tensorboard and
protobuf packages, and ``pip install chainrule`` stays NumPy alone."""

from __future__ import annotations

import os
import socket
import struct
import threading
import time
from itertools import count

# --- crc32c (Castagnoli), as TFRecord checksums its records ------------------------------


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _crc_table()


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc(data: bytes) -> int:
    """TFRecord's mask: a CRC stored beside data that holds CRCs must not look like one."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def tfrecord(data: bytes) -> bytes:
    length = struct.pack("<Q", len(data))
    return (
        length + struct.pack("<I", masked_crc(length)) + data + struct.pack("<I", masked_crc(data))
    )


# --- protobuf's wire format ----------------------------------------------------------------


def varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int64s are ten-byte two's complement, as protobuf writes
    out = bytearray()
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def field_varint(number: int, value: int) -> bytes:
    return varint(number << 3) + varint(int(value))


def field_double(number: int, value: float) -> bytes:
    return varint(number << 3 | 1) + struct.pack("<d", value)


def field_float(number: int, value: float) -> bytes:
    return varint(number << 3 | 5) + struct.pack("<f", value)


def field_bytes(number: int, value: bytes | str) -> bytes:
    data = value.encode() if isinstance(value, str) else value
    return varint(number << 3 | 2) + varint(len(data)) + data


def packed_doubles(number: int, values: list[float]) -> bytes:
    return field_bytes(number, struct.pack(f"<{len(values)}d", *values))


def event(wall_time: float, step: int | None = None, **what: bytes) -> bytes:
    """An Event: wall_time (1), step (2), then one of file_version (3), summary (5),
    session_log (7), each already encoded."""
    numbers = {"file_version": 3, "summary": 5, "session_log": 7}
    out = field_double(1, wall_time)
    if step:
        out += field_varint(2, step)
    for name, data in what.items():
        out += field_bytes(numbers[name], data)
    return out


# --- one event file ------------------------------------------------------------------------

_uid = count()
_uid_lock = threading.Lock()


class EventFileWriter:
    """Appends Events to ``<log_dir>/events.out.tfevents.<time>.<host>.<pid>.<n><suffix>``
    (TensorBoard's name) and writes them out every ``max_queue`` events or ``flush_secs``."""

    def __init__(
        self, log_dir: str, max_queue: int = 10, flush_secs: int = 120, filename_suffix: str = ""
    ) -> None:
        os.makedirs(log_dir, exist_ok=True)
        with _uid_lock:
            uid = next(_uid)
        name = f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}.{os.getpid()}.{uid}"
        self.log_dir, self.path = log_dir, os.path.join(log_dir, name + filename_suffix)
        self.max_queue, self.flush_secs = max_queue, flush_secs
        self._queue: list[bytes] = []
        self._last_flush = time.monotonic()
        self._closed = False
        with open(self.path, "wb"):
            pass
        self.add_event(event(time.time(), file_version=b"brain.Event:2"))
        self.flush()

    def get_logdir(self) -> str:
        return self.log_dir

    def add_event(self, data: bytes) -> None:
        self._queue.append(tfrecord(data))
        if len(self._queue) >= self.max_queue or (
            time.monotonic() - self._last_flush >= self.flush_secs
        ):
            self.flush()

    def flush(self) -> None:
        if self._queue:
            with open(self.path, "ab") as out:
                out.write(b"".join(self._queue))
            self._queue.clear()
        self._last_flush = time.monotonic()

    def close(self) -> None:
        self.flush()
        self._closed = True
