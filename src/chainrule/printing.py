"""``torch.set_printoptions``: accepted and kept (``get_printoptions`` reads them back) so scripts
that set them run. A tensor's repr keeps torch's default style, four decimals or scientific
notation, whatever is set: the formatter sits in autograd/values.py, inside that package's
line budget."""

from __future__ import annotations

from typing import Any

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
