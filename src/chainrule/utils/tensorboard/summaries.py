"""The Summary messages SummaryWriter writes, encoded as torch's summary.py builds them (same
tags, plugin names and fields), so TensorBoard shows chainrule's logs as it shows torch's."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor_numpy import values_of

from ..._checks import message
from ...errors import ArgumentError, ArgumentTypeError
from .records import field_bytes, field_double, field_float, field_varint, packed_doubles

# Summary (1: repeated value); Value: tag 1, simple_value 2, histo 5, tensor 8, metadata 9;
# SummaryMetadata: plugin_data 1 = PluginData(plugin_name 1, content 2)


def _summary(tag: str, *fields: bytes) -> bytes:
    return field_bytes(1, field_bytes(1, tag) + b"".join(fields))


def _plugin(name: str, content: bytes = b"") -> bytes:
    data = field_bytes(1, name) + (field_bytes(2, content) if content else b"")
    return field_bytes(9, field_bytes(1, data))


def as_number(who: str, value: Any) -> float:
    """A Python number, 0-d Tensor or one-element array as a float (torch's make_np rule)."""
    array = values_of(value)
    if array.squeeze().ndim != 0:
        raise ArgumentError(message(who, "a scalar (one value)", f"shape {array.shape}"))
    return float(array.squeeze())


def scalar(tag: str, value: float) -> bytes:
    return _summary(tag, field_float(2, value))


def default_bins() -> list[float]:
    """torch's 'tensorflow' bins: +-1e-12 growing by 1.1 up to 1e20, and 0."""
    v, buckets = 1e-12, []
    while v < 1e20:
        buckets.append(v)
        v *= 1.1
    return [-b for b in reversed(buckets)] + [0] + buckets


def histogram(tag: str, values: np.ndarray, bins: Any, max_bins: int | None) -> bytes:
    """HistogramProto over the bins that hold values, with one empty bin on the left so the
    leftmost limit shows (TensorBoard stores right limits only)."""
    values = values.astype(float).reshape(-1)
    if values.size == 0:
        raise ArgumentError(message("add_histogram", "values with at least one element", "none"))
    counts, limits = np.histogram(values, bins=bins)
    if max_bins is not None and len(counts) > max_bins:
        group = len(counts) // max_bins
        counts = np.pad(counts, (0, (-len(counts)) % group)).reshape(-1, group).sum(axis=-1)
        limits = np.concatenate([limits[:-1:group], limits[-1:]])
    filled = np.cumsum(counts > 0)
    start, end = (int(i) for i in np.searchsorted(filled, [0, filled[-1] - 1], side="right"))
    end += 1
    counts = counts[start - 1 : end] if start > 0 else np.concatenate([[0], counts[:end]])
    limits = limits[start : end + 1]
    histo = (
        field_double(1, values.min())
        + field_double(2, values.max())
        + field_double(3, len(values))
        + field_double(4, values.sum())
        + field_double(5, values.dot(values))
        + packed_doubles(6, [float(x) for x in limits])
        + packed_doubles(7, [float(x) for x in counts])
    )
    return _summary(tag, field_bytes(5, histo))


def text(tag: str, text: str) -> bytes:
    """A DT_STRING tensor of shape (1,) for the text plugin, under ``<tag>/text_summary``."""
    shape = field_bytes(2, field_varint(1, 1))  # TensorShapeProto.dim = [Dim(size=1)]
    tensor = field_varint(1, 7) + field_bytes(2, shape) + field_bytes(8, text.encode("utf_8"))
    return _summary(tag + "/text_summary", _plugin("text"), field_bytes(8, tensor))


# hparams plugin: HParamsPluginData(version 1, experiment 2, session_start_info 3,
# session_end_info 4); google.protobuf.Value(number 2, string 3, bool 4).


def _value(v: Any) -> tuple[bytes, int]:
    """(encoded protobuf Value, hparams DataType) as torch decides: int/float/bool are numbers."""
    if isinstance(v, (int, float)):
        return field_double(2, float(v)), 3
    if isinstance(v, str):
        return field_bytes(3, v), 1
    if hasattr(v, "numpy"):
        return field_double(2, float(np.asarray(v.detach().numpy()).reshape(-1)[0])), 3
    raise ArgumentTypeError(
        message("add_hparams", "values of type int, float, str, bool or Tensor", type(v).__name__)
    )


def _hparams_summary(tag: str, content: bytes) -> bytes:
    return _summary(tag, _plugin("hparams", content))


def hparams(hparam_dict: dict, metric_dict: dict, domains: dict | None) -> list[bytes]:
    """The experiment, session-start and session-end summaries TensorBoard's HPARAMS tab reads."""
    domains = domains or {}
    for key, options in domains.items():
        if (
            key not in hparam_dict
            or not isinstance(options, list)
            or not all(isinstance(d, type(hparam_dict[key])) for d in options)
        ):
            raise ArgumentTypeError(
                message(
                    "add_hparams",
                    f"hparam_domain_discrete[{key!r}] a list of the type of hparam_dict[{key!r}]",
                    repr(options),
                )
            )
    infos, start = b"", b""
    for key, v in hparam_dict.items():
        if v is None:
            continue
        encoded, kind = _value(v)
        start += field_bytes(1, field_bytes(1, key) + field_bytes(2, encoded))  # map entry
        info = field_bytes(1, key) + field_varint(4, kind)
        if key in domains:
            listed = b"".join(field_bytes(1, _value(d)[0]) for d in domains[key])
            info += field_bytes(6, listed)
        infos += field_bytes(4, info)
    metrics = b"".join(field_bytes(5, field_bytes(1, field_bytes(2, k))) for k in metric_dict)
    return [
        _hparams_summary("_hparams_/experiment", field_bytes(2, infos + metrics)),
        _hparams_summary("_hparams_/session_start_info", field_bytes(3, start)),
        _hparams_summary("_hparams_/session_end_info", field_bytes(4, field_varint(1, 1))),
    ]
