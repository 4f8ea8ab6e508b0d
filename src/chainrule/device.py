"""The device API of a CPU-only torch: every tensor lives on the CPU, NumPy's memory."""

from __future__ import annotations

from typing import Any

from .errors import ChainruleError


class DeviceError(ChainruleError, RuntimeError):
    """A device other than the CPU was asked for."""


class Device:
    """``chainrule.device("cpu")``: accepted wherever torch takes a device."""

    __slots__ = ("type", "index")

    def __init__(self, type: str | Device = "cpu", index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, Device):
            type, index = type.type, type.index
        kind = check_device(type, "device")
        self.type = kind
        self.index = index

    def __repr__(self) -> str:
        return f"device(type='{self.type}')"

    def __str__(self) -> str:
        return self.type

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, str):
            return other.split(":")[0] == self.type
        return isinstance(other, Device) and other.type == self.type

    def __hash__(self) -> int:
        return hash(self.type)


def check_device(device: Any, who: str) -> str:
    """'cpu' for any spelling of the CPU; a clear error for 'cuda', 'mps' and the rest."""
    name = (
        device.type if isinstance(device, Device) else str(device) if device is not None else "cpu"
    )
    kind = name.split(":")[0]
    if kind == "cpu":
        return "cpu"
    raise DeviceError(
        f"{who}: expected device 'cpu', got {name!r}.\nHint: chainrule runs on the CPU with "
        f"NumPy; write device = 'cuda' if torch.cuda.is_available() else 'cpu' and it picks 'cpu'."
    )


CPU = Device.__new__(Device)
CPU.type, CPU.index = "cpu", None


class _Unavailable:
    """``chainrule.cuda`` and ``chainrule.backends.mps``: present, and never available."""

    def __init__(self, name: str) -> None:
        self._name = name

    def is_available(self) -> bool:
        return False

    def is_built(self) -> bool:
        return False

    def device_count(self) -> int:
        return 0

    def manual_seed(self, seed: int) -> None:
        """Accepted and ignored, so seeding code written for GPUs runs unchanged."""

    manual_seed_all = manual_seed

    def __repr__(self) -> str:
        return f"<chainrule.{self._name}: not available (chainrule runs on the CPU)>"


cuda = _Unavailable("cuda")


class _Backends:
    def __init__(self) -> None:
        self.mps = _Unavailable("backends.mps")
        self.cudnn = _Cudnn()


class _Cudnn(_Unavailable):
    def __init__(self) -> None:
        super().__init__("backends.cudnn")
        self.deterministic = False
        self.benchmark = False
        self.enabled = False


backends = _Backends()
