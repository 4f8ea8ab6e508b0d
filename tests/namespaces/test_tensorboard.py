"""SummaryWriter's event files, read back: TFRecord framing and checksums, then the protobuf
messages, decoded here by a reader written from the format's documentation (tensorboard is
not installed in the test environment; where it is, its EventAccumulator reads them too)."""

import os
import struct

import numpy as np
import pytest

import chainrule as cr
from chainrule.utils.tensorboard import SummaryWriter
from chainrule.utils.tensorboard.records import crc32c, masked_crc


def _fields(data: bytes) -> dict[int, list]:
    """Protobuf wire format to {field number: [values]} (bytes for length-delimited)."""
    out: dict[int, list] = {}
    i = 0

    def varint():
        nonlocal i
        shift = value = 0
        while True:
            byte = data[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value

    while i < len(data):
        key = varint()
        number, kind = key >> 3, key & 7
        if kind == 0:
            value = varint()
        elif kind == 1:
            value, i = struct.unpack_from("<d", data, i)[0], i + 8
        elif kind == 5:
            value, i = struct.unpack_from("<f", data, i)[0], i + 4
        elif kind == 2:
            size = varint()
            value, i = data[i : i + size], i + size
        else:
            raise AssertionError(f"wire type {kind}")
        out.setdefault(number, []).append(value)
    return out


def _events(path):
    with open(path, "rb") as file:
        raw = file.read()
    events, i = [], 0
    while i < len(raw):
        (length,) = struct.unpack_from("<Q", raw, i)
        assert struct.unpack_from("<I", raw, i + 8)[0] == masked_crc(raw[i : i + 8])
        data = raw[i + 12 : i + 12 + length]
        assert struct.unpack_from("<I", raw, i + 12 + length)[0] == masked_crc(data)
        events.append(_fields(data))
        i += 12 + length + 4
    return events


def _files(log_dir):
    return sorted(
        os.path.join(root, name)
        for root, _, names in os.walk(log_dir)
        for name in names
        if name.startswith("events.out.tfevents.")
    )


def _values(event):
    """(tag, Summary.Value fields) of an event holding a summary."""
    value = _fields(_fields(event[5][0])[1][0])
    return value[1][0].decode(), value


def test_crc32c_known_answer():
    assert crc32c(b"123456789") == 0xE3069283  # the check value of CRC-32C (Castagnoli)


def test_scalars_text_and_histogram_read_back(tmp_path):
    with SummaryWriter(str(tmp_path)) as writer:
        for step in range(3):
            writer.add_scalar("loss", cr.tensor(1.0 / (step + 1)), global_step=step)
        writer.add_text("note", "héllo", global_step=4)
        writer.add_histogram("w", np.array([0.5, 1.5, 1.5, -2.0]), global_step=5)
    (path,) = _files(tmp_path)
    events = _events(path)
    assert events[0][3] == [b"brain.Event:2"]
    scalars = [(e.get(2, [0])[0], _values(e)) for e in events[1:4]]
    for step, (tag, value) in scalars:
        assert tag == "loss" and value[2][0] == pytest.approx(1.0 / (step + 1))
    tag, value = _values(events[4])
    assert tag == "note/text_summary" and events[4][2] == [4]
    tensor = _fields(value[8][0])
    assert tensor[1] == [7] and tensor[8] == ["héllo".encode()]  # DT_STRING, utf-8
    assert _fields(_fields(value[9][0])[1][0])[1] == [b"text"]
    tag, value = _values(events[5])
    histo = _fields(value[5][0])
    assert (histo[1][0], histo[2][0], histo[3][0], histo[4][0]) == (-2.0, 1.5, 4.0, 1.5)
    counts = struct.unpack(f"<{len(histo[7][0]) // 8}d", histo[7][0])
    assert sum(counts) == 4 and counts[0] == 0


def test_histogram_bins_are_torchs(torch_installed, tmp_path):
    """torch's make_histogram needs tensorboard's protos; its bucket arithmetic is compared
    through np.histogram on torch's default bins instead."""
    from chainrule.utils.tensorboard import summaries

    values = np.random.default_rng(0).standard_normal(1000)
    tag, value = _values({5: [summaries.histogram("h", values, summaries.default_bins(), None)]})
    histo = _fields(value[5][0])
    limits = struct.unpack(f"<{len(histo[6][0]) // 8}d", histo[6][0])
    counts = struct.unpack(f"<{len(histo[7][0]) // 8}d", histo[7][0])
    assert len(limits) == len(counts) and sum(counts) == 1000
    assert limits[0] < values.min() and limits[-1] >= values.max()


def test_add_scalars_writes_a_run_per_curve(tmp_path):
    with SummaryWriter(str(tmp_path)) as writer:
        writer.add_scalars("lr/group", {"a": 0.1, "b": 0.2}, global_step=1)
    runs = sorted(os.path.relpath(os.path.dirname(f), tmp_path) for f in _files(tmp_path))
    assert runs == [".", "lr_group_a", "lr_group_b"]
    tag, value = _values(_events(_files(tmp_path / "lr_group_b")[0])[1])
    assert tag == "lr/group" and value[2][0] == pytest.approx(0.2)


def test_add_hparams_writes_the_plugin_summaries(tmp_path):
    with SummaryWriter(str(tmp_path)) as writer:
        writer.add_hparams({"lr": 0.1, "opt": "sgd", "skip": None}, {"acc": 0.9}, run_name="r")
    events = _events(_files(tmp_path / "r")[0])
    tags = [_values(e)[0] for e in events[1:]]
    assert tags == [
        "_hparams_/experiment",
        "_hparams_/session_start_info",
        "_hparams_/session_end_info",
        "acc",
    ]
    plugin = _fields(_fields(_values(events[2])[1][9][0])[1][0])
    assert plugin[1] == [b"hparams"]
    start = _fields(_fields(plugin[2][0])[3][0])
    entries = {_fields(e)[1][0]: _fields(_fields(e)[2][0]) for e in start[1]}
    assert entries[b"lr"][2] == [0.1] and entries[b"opt"][3] == [b"sgd"] and b"skip" not in entries
    with pytest.raises(TypeError, match="hparam_dict and metric_dict as dicts"):
        SummaryWriter(str(tmp_path)).add_hparams([1], {})


def test_default_log_dir_is_torchs_layout(tmp_path, monkeypatch):
    import socket

    monkeypatch.chdir(tmp_path)
    writer = SummaryWriter(comment="_x")
    writer.close()
    parent, name = os.path.split(writer.get_logdir())
    assert parent == "runs" and name.endswith("_" + socket.gethostname() + "_x")
    assert len(_files(tmp_path / "runs")) == 1


def test_flush_writes_and_a_closed_writer_reopens(tmp_path):
    writer = SummaryWriter(str(tmp_path), max_queue=100)
    writer.add_scalar("a", 1.0, 0)
    assert len(_events(_files(tmp_path)[0])) == 1  # queued, not yet written
    writer.flush()
    assert len(_events(_files(tmp_path)[0])) == 2
    writer.close()
    writer.add_scalar("a", 2.0, 1)  # torch makes a new file after close
    writer.close()
    assert len(_files(tmp_path)) == 2


def test_a_scalar_must_be_one_value(tmp_path):
    with SummaryWriter(str(tmp_path)) as writer:
        with pytest.raises(cr.ArgumentError, match="expected a scalar"):
            writer.add_scalar("x", [1.0, 2.0])


def test_tensorboard_reads_it_where_installed(tmp_path):
    accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    with SummaryWriter(str(tmp_path)) as writer:
        writer.add_scalar("loss", 0.25, 3)
    acc = accumulator.EventAccumulator(str(tmp_path))
    acc.Reload()
    assert [(e.step, e.value) for e in acc.Scalars("loss")] == [(3, 0.25)]
