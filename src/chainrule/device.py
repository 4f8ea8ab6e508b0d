"""The device API of a CPU-only torch: every tensor lives on the CPU, NumPy's memory."""

from __future__ import annotations

from typing import Any

from .errors import ChainruleError


class DeviceError(ChainruleError, RuntimeError):
    """A device other than the CPU was asked for."""


class NoCudaError(DeviceError, AssertionError):
    """A CUDA-only call on chainrule's CPU-only ``cuda``: an AssertionError, as a CPU-only torch
    raises ("Torch not compiled with CUDA enabled"), and a RuntimeError too."""


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
    # a CPU-only torch asserts for the accelerators it was built without, and raises otherwise
    error = NoCudaError if kind in ("cuda", "xpu") else DeviceError
    raise error(
        f"{who}: expected device 'cpu', got {name!r}.\nHint: chainrule runs on the CPU with "
        f"NumPy; write device = 'cuda' if torch.cuda.is_available() else 'cpu' and it picks 'cpu'."
    )


CPU = Device.__new__(Device)
CPU.type, CPU.index = "cpu", None


def set_default_device(device: Any) -> None:
    """Accepted for the CPU (or None), where every tensor lives; any other device is refused."""
    check_device(device, "set_default_device")


def get_default_device() -> Device:
    return CPU


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

    def _refuse(self, who: str) -> Any:
        raise NoCudaError(
            f"{self._name}.{who}: expected a CUDA device, got none (Torch not compiled with CUDA "
            f"enabled: chainrule runs on the CPU).\nHint: guard it with torch.cuda.is_available()."
        )

    def __repr__(self) -> str:
        return f"<chainrule.{self._name}: not available (chainrule runs on the CPU)>"


class _Cuda(_Unavailable):
    """``chainrule.cuda``: what a CPU-only torch build allows runs (as a no-op, or reports zero
    bytes); what needs a GPU raises as torch's does."""

    amp: Any = None  # the torch.cuda.amp namespace, set by chainrule/__init__.py (amp.py)

    def empty_cache(self) -> None:
        """Nothing to free: there is no GPU memory."""

    def is_initialized(self) -> bool:
        return False

    def is_bf16_supported(self, including_emulation: bool = True) -> bool:
        return False

    def memory_allocated(self, device: Any = None) -> int:
        return 0

    memory_reserved = max_memory_allocated = max_memory_reserved = memory_allocated

    def memory_stats(self, device: Any = None) -> dict:
        return {}

    def synchronize(self, device: Any = None) -> None:
        self._refuse("synchronize")

    def current_device(self) -> int:
        return self._refuse("current_device")

    def get_device_name(self, device: Any = None) -> str:
        return self._refuse("get_device_name")

    def get_device_properties(self, device: Any = None) -> Any:
        return self._refuse("get_device_properties")

    def get_device_capability(self, device: Any = None) -> Any:
        return self._refuse("get_device_capability")

    def mem_get_info(self, device: Any = None) -> Any:
        return self._refuse("mem_get_info")

    def set_device(self, device: Any) -> None:
        self._refuse("set_device")

    def reset_peak_memory_stats(self, device: Any = None) -> None:
        self._refuse("reset_peak_memory_stats")

    def init(self) -> None:
        self._refuse("init")

    def ipc_collect(self) -> None:
        self._refuse("ipc_collect")


cuda = _Cuda("cuda")


class _Backends:
    def __init__(self) -> None:
        self.mps = _Unavailable("backends.mps")
        self.cudnn = _Cudnn()
        self.cuda = _CudaBackend()


class _Matmul:
    """``backends.cuda.matmul``: the TF32 switches scripts set; kept, and changing nothing."""

    def __init__(self) -> None:
        self.allow_tf32 = False
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True


class _CudaBackend(_Unavailable):
    def __init__(self) -> None:
        super().__init__("backends.cuda")
        self.matmul = _Matmul()


class _Cudnn(_Unavailable):
    def __init__(self) -> None:
        super().__init__("backends.cudnn")
        self.deterministic = False
        self.benchmark = False
        self.enabled = False
        self.allow_tf32 = True


backends = _Backends()
