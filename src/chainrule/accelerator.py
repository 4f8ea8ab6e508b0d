"""``torch.accelerator`` as a CPU-only torch build has it: no accelerator, so the 2.x tutorials'
``device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else
"cpu"`` picks the CPU, and the calls that need a device raise torch's RuntimeError."""

from __future__ import annotations

from typing import Any, NoReturn

from .device import DeviceError


def is_available() -> bool:
    return False


def current_accelerator(check_available: bool = False) -> None:
    """None: there is no accelerator (torch's answer on a CPU-only build)."""
    return None


def device_count() -> int:
    return 0


def _no_accelerator(who: str) -> NoReturn:
    raise DeviceError(
        f"accelerator.{who}: expected an accelerator device, got none (chainrule runs on the "
        f"CPU).\nHint: guard the call with torch.accelerator.is_available()."
    )


def current_device_index() -> int:
    _no_accelerator("current_device_index")


def set_device_index(device: Any) -> None:
    _no_accelerator("set_device_index")


def synchronize(device: Any = None) -> None:
    _no_accelerator("synchronize")


def empty_cache() -> None:
    _no_accelerator("empty_cache")


current_device_idx, set_device_idx = current_device_index, set_device_index
