"""How tensors print: torch's layout (one width and style for all elements, edge items with
``...`` past the threshold, lines wrapped at linewidth) and ``set_printoptions`` to tune it, so
a program's printed output reads as it does under torch."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": 2**63 - 1, "edgeitems": 3, "linewidth": 80},
}
_options: dict[str, Any] = dict(_PROFILES["default"], sci_mode=None)


def set_printoptions(
    precision: int | None = None,
    threshold: int | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(
                f"set_printoptions: expected profile in {sorted(_PROFILES)}, got {profile!r}."
            )
        _options.update(_PROFILES[profile])
    for key, value in (
        ("precision", precision),
        ("threshold", threshold),
        ("edgeitems", edgeitems),
        ("linewidth", linewidth),
    ):
        if value is not None:
            _options[key] = value
    _options["sci_mode"] = sci_mode


def get_printoptions() -> dict[str, Any]:
    return dict(_options)


class _Formatter:
    """One width and one style (int-like, fixed or scientific) for every element, chosen from
    the values that will print, as torch's _Formatter chooses them."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.width = True, False, 1
        precision = _options["precision"]
        flat = values.reshape(-1)
        if not self.floating:
            self.width = max([1] + [len(str(v)) for v in flat.tolist()])
        else:
            shown = flat[np.isfinite(flat) & (flat != 0)]
            if shown.size:
                magnitudes = np.abs(shown).astype(np.float64)
                low, high = magnitudes.min(), magnitudes.max()
                self.int_mode = bool(np.all(shown == np.ceil(shown)))
                self.sci_mode = _options["sci_mode"]
                if self.sci_mode is None:
                    self.sci_mode = bool(high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4)
                if self.sci_mode:
                    texts = [f"{v:.{precision}e}" for v in shown.tolist()]
                elif self.int_mode:
                    texts = [f"{v:.0f}." for v in shown.tolist()]  # the point says "float"
                else:
                    texts = [f"{v:.{precision}f}" for v in shown.tolist()]
                self.width = max(len(t) for t in texts)

    def format(self, value: Any) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:.{_options['precision']}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{_options['precision']}f}"
        return text.rjust(self.width)


def _summarized(values: np.ndarray) -> np.ndarray:
    """Only the edge items that will print, so the style is chosen from what is shown."""
    edge = _options["edgeitems"]
    if values.ndim == 0:
        return values
    if values.ndim == 1:
        if len(values) > 2 * edge:
            return np.concatenate((values[:edge], values[len(values) - edge :]))
        return values
    if not edge:
        return values.reshape(-1)[:0]
    rows = list(range(edge)) + list(range(len(values) - edge, len(values)))
    if len(values) <= 2 * edge:
        rows = list(range(len(values)))
    return np.stack([_summarized(values[i]) for i in rows])


def _body(values: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    edge = _options["edgeitems"]
    if values.ndim == 0:
        return fmt.format(values.item())
    cut = summarize and len(values) > 2 * edge
    if values.ndim == 1:
        if summarize and not edge:
            items = ["..."]
        elif cut:
            items = [fmt.format(v) for v in values[:edge].tolist()] + [" ..."]
            items += [fmt.format(v) for v in values[len(values) - edge :].tolist()]
        else:
            items = [fmt.format(v) for v in values.tolist()]
        per_line = max(1, (_options["linewidth"] - indent) // (fmt.width + 2))
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = list(range(len(values)))
    if cut:
        rows = rows[:edge] + [-1] + rows[len(values) - edge :]
    slices = ["..." if i < 0 else _body(values[i], indent + 1, summarize, fmt) for i in rows]
    return "[" + ("," + "\n" * (values.ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def tensor_repr(values: np.ndarray, suffixes: list[str], prefix: str = "tensor(") -> str:
    """torch's repr of a tensor holding ``values``, with the options set_printoptions keeps."""
    indent = len(prefix)
    if values.size == 0:
        text = "[]"
    else:
        if not _options["edgeitems"]:  # nothing but "..." may print: torch shows the size
            suffixes = [f"size={tuple(values.shape)}", *suffixes]
        summarize = values.size > _options["threshold"]
        fmt = _Formatter(_summarized(values) if summarize else values)
        text = _body(values, indent, summarize, fmt)
    parts, last = [prefix + text], len(prefix + text) - (prefix + text).rfind("\n") + 1
    for suffix in suffixes:
        if last + len(suffix) + 2 > _options["linewidth"]:
            parts.append(",\n" + " " * indent + suffix)
            last = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last += len(suffix) + 2
    return "".join(parts) + ")"
