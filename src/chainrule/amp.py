"""Mixed precision as torch spells it (``torch.autocast``, ``torch.amp.GradScaler``), on a library
that computes in float32 and float64 only.

NumPy has no bfloat16, and its float16 is slower than float32 on the CPU, so an enabled
``autocast`` on the CPU runs the region in float32 and says so once (a UserWarning); a CUDA
autocast is disabled with torch's own warning. ``GradScaler`` is torch's, step for step: with
``enabled=False`` it is a pass-through, and enabled on the CPU it scales the loss, unscales the
gradients, skips steps whose gradients hold inf or NaN and grows or backs off the scale exactly
as torch's does (scales are powers of two, so unscaled float32 gradients are bit-identical).
"""

from __future__ import annotations

import functools
import warnings
from typing import Any, Callable

import numpy as np

from ._checks import message
from .autograd.tensor import Tensor
from .errors import ArgumentError, DTypeError
from .dtypes import float16


class _NoNumpyDtype:
    """``chainrule.bfloat16``: present so ``dtype=torch.bfloat16 if cuda else torch.float32``
    lines run; used as a dtype it is refused (NumPy cannot hold bfloat16)."""

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def dtype(self) -> Any:  # NumPy reads this when asked for np.dtype(chainrule.bfloat16)
        raise DTypeError(message("dtype", "a dtype NumPy can hold", f"chainrule.{self.name}"))

    @property
    def is_floating_point(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"chainrule.{self.name}"


bfloat16 = _NoNumpyDtype("bfloat16")
_LOW_PRECISION = (bfloat16, float16)
_warned: set[str] = set()
_enabled: dict[str, bool] = {"cpu": False, "cuda": False}


# the device types torch's autocast accepts (it runs on none but the CPU here)
_DEVICE_TYPES = (
    "cpu cuda ipu xpu mkldnn opengl opencl ideep hip ve fpga maia xla lazy vulkan mps meta hpu "
    "mtia privateuseone"
).split()


class autocast:  # noqa: N801  (torch's name)
    """``torch.autocast(device_type, dtype=None, enabled=True, cache_enabled=None)``: a context
    manager and a decorator. The region always computes in float32 here (see the module note)."""

    def __init__(
        self,
        device_type: str,
        dtype: Any = None,
        enabled: bool = True,
        cache_enabled: bool | None = None,
    ) -> None:
        if not isinstance(device_type, str):
            raise ArgumentError(
                message("autocast", "device_type a str such as 'cpu'", repr(device_type))
            )
        if device_type.split(":")[0] not in _DEVICE_TYPES:  # a typo would silently disable it
            raise ArgumentError(
                message(
                    "autocast", f"a device_type among {', '.join(_DEVICE_TYPES)}", repr(device_type)
                )  # fmt: skip
            )
        self.device = device_type
        self.fast_dtype = dtype if dtype is not None else _default_dtype(device_type)
        self._enabled = bool(enabled)
        if self._enabled and device_type == "cuda":
            warnings.warn(
                "CUDA is not available or torch_xla is imported. Disabling autocast.",
                UserWarning,
                stacklevel=2,
            )
            self._enabled = False
        elif self._enabled and device_type == "cpu" and not _is_low(self.fast_dtype):
            warnings.warn(
                "In CPU autocast, but the target dtype is not supported. Disabling autocast.\n"
                "CPU Autocast only supports dtypes of torch.bfloat16, torch.float16 currently.",
                UserWarning,
                stacklevel=2,
            )
            self._enabled = False
        if self._enabled and device_type not in _warned:
            _warned.add(device_type)
            warnings.warn(
                f"autocast(device_type={device_type!r}, dtype={self.fast_dtype!r}): chainrule "
                f"computes in float32 (NumPy has no fast low-precision type on the CPU); the "
                f"region runs in float32.",
                UserWarning,
                stacklevel=2,
            )

    def __enter__(self) -> autocast:
        self._before = _enabled.get(self.device, False)
        _enabled[self.device] = self._enabled
        return self

    def __exit__(self, *exc: Any) -> None:
        _enabled[self.device] = self._before

    def __call__(self, func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with autocast(self.device, self.fast_dtype, self._enabled):
                return func(*args, **kwargs)

        return wrapper


def _default_dtype(device_type: str) -> Any:
    return bfloat16 if device_type == "cpu" else float16


def _is_low(dtype: Any) -> bool:
    return any(dtype is d or (isinstance(dtype, np.dtype) and dtype == d) for d in _LOW_PRECISION)


def is_autocast_enabled(device_type: str | None = None) -> bool:
    """Whether an enabled autocast region is open (torch's flag); the math is float32 anyway."""
    return _enabled.get(device_type or "cuda", False)


def get_autocast_dtype(device_type: str) -> Any:
    return _default_dtype(device_type)


def is_autocast_available(device_type: str) -> bool:
    return device_type == "cpu"


class GradScaler:
    """``torch.amp.GradScaler(device='cuda', init_scale=65536.0, growth_factor=2.0,
    backoff_factor=0.5, growth_interval=2000, enabled=True)``; ``device='cuda'`` disables it with
    torch's warning (there is no CUDA), as a CPU-only torch does."""

    def __init__(
        self,
        device: str = "cuda",
        init_scale: float = 2.0**16,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        growth_interval: int = 2000,
        enabled: bool = True,
    ) -> None:
        self._device, self._enabled = str(device), bool(enabled)
        if self._enabled and self._device == "cuda":
            warnings.warn(
                "torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.",
                UserWarning,
                stacklevel=2,
            )
            self._enabled = False
        if self._enabled:
            if growth_factor <= 1.0:
                raise AssertionError("The growth factor must be > 1.0.")
            if backoff_factor >= 1.0:
                raise AssertionError("The backoff factor must be < 1.0.")
        self._scale = float(init_scale)
        self._growth_factor, self._backoff_factor = float(growth_factor), float(backoff_factor)
        self._growth_interval, self._growth_tracker = int(growth_interval), 0
        self._stages: dict[int, str] = {}  # id(optimizer) -> "unscaled" | "stepped"
        self._found_inf: dict[int, bool] = {}

    def is_enabled(self) -> bool:
        return self._enabled

    def scale(self, outputs: Any) -> Any:
        """The loss (or a list or tuple of tensors) times the scale; unchanged when disabled."""
        if not self._enabled:
            return outputs
        if isinstance(outputs, Tensor):
            return outputs * outputs.dtype.type(self._scale)
        if isinstance(outputs, (list, tuple)):
            return type(outputs)(self.scale(o) for o in outputs)
        raise ValueError("outputs must be a Tensor or an iterable of Tensors")

    def unscale_(self, optimizer: Any) -> None:
        """Divide each gradient by the scale, in place, noting whether any is inf or NaN."""
        if not self._enabled:
            return
        stage = self._stages.get(id(optimizer))
        if stage == "unscaled":
            raise RuntimeError(
                "unscale_() has already been called on this optimizer since the last update()."
            )
        if stage == "stepped":
            raise RuntimeError("unscale_() is being called after step().")
        inverse = np.float32(1.0 / self._scale)  # torch: the reciprocal in float64, then float32
        found = False
        for group in optimizer.param_groups:
            for param in group["params"]:
                if param._grad is not None:
                    param._grad *= param._grad.dtype.type(inverse)
                    found = found or not bool(np.isfinite(param._grad).all())
        self._found_inf[id(optimizer)] = found
        self._stages[id(optimizer)] = "unscaled"

    def step(self, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        """unscale_ (unless done already), then optimizer.step() unless a gradient was inf/NaN."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        if self._stages.get(id(optimizer)) == "stepped":
            raise RuntimeError("step() has already been called since the last update().")
        if id(optimizer) not in self._stages:
            self.unscale_(optimizer)
        result = None if self._found_inf[id(optimizer)] else optimizer.step(*args, **kwargs)
        self._stages[id(optimizer)] = "stepped"
        return result

    def update(self, new_scale: float | Tensor | None = None) -> None:
        """Back off the scale after an inf/NaN step; grow it after growth_interval clean ones."""
        if not self._enabled:
            return
        if new_scale is not None:
            self._scale = float(new_scale)
        else:
            if not self._found_inf:
                raise AssertionError("No inf checks were recorded prior to update.")
            if any(self._found_inf.values()):
                self._scale *= self._backoff_factor
                self._growth_tracker = 0
            else:
                self._growth_tracker += 1
                if self._growth_tracker == self._growth_interval:
                    grown = float(np.float32(self._scale * self._growth_factor))
                    self._scale = grown if np.isfinite(grown) else self._scale
                    self._growth_tracker = 0
        self._stages, self._found_inf = {}, {}

    def get_scale(self) -> float:
        return self._scale if self._enabled else 1.0

    def get_growth_factor(self) -> float:
        return self._growth_factor

    def set_growth_factor(self, new_factor: float) -> None:
        self._growth_factor = float(new_factor)

    def get_backoff_factor(self) -> float:
        return self._backoff_factor

    def set_backoff_factor(self, new_factor: float) -> None:
        self._backoff_factor = float(new_factor)

    def get_growth_interval(self) -> int:
        return self._growth_interval

    def set_growth_interval(self, new_interval: int) -> None:
        self._growth_interval = int(new_interval)

    def state_dict(self) -> dict[str, Any]:
        if not self._enabled:
            return {}
        return {
            "scale": self._scale,
            "growth_factor": self._growth_factor,
            "backoff_factor": self._backoff_factor,
            "growth_interval": self._growth_interval,
            "_growth_tracker": self._growth_tracker,
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError(
                "The source state dict is empty, possibly because it was saved "
                "from a disabled instance of GradScaler."
            )
        self._scale = float(state_dict["scale"])
        self._growth_factor = float(state_dict["growth_factor"])
        self._backoff_factor = float(state_dict["backoff_factor"])
        self._growth_interval = int(state_dict["growth_interval"])
        self._growth_tracker = int(state_dict["_growth_tracker"])


class CudaAmp:
    """``torch.cuda.amp``: the deprecated spellings, ``autocast(enabled=True, dtype=float16)``
    and ``GradScaler(...)`` for device 'cuda' (both disabled with torch's warning when enabled)."""

    @staticmethod
    def autocast(
        enabled: bool = True, dtype: Any = float16, cache_enabled: bool = True
    ) -> autocast:
        return autocast("cuda", dtype, enabled, cache_enabled)

    @staticmethod
    def GradScaler(  # noqa: N802  (torch's name)
        init_scale: float = 2.0**16,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        growth_interval: int = 2000,
        enabled: bool = True,
    ) -> GradScaler:
        return GradScaler(
            "cuda", init_scale, growth_factor, backoff_factor, growth_interval, enabled
        )
