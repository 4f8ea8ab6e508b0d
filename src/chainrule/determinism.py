"""torch's switches for reproducibility and matmul speed. chainrule's CPU kernels are NumPy's, the
same every run, and its matmuls are float32 or float64 as asked: the switches are kept and read
back as torch's are, and change no number."""

from __future__ import annotations

import warnings

_state = {"deterministic": False, "warn_only": False, "matmul": "highest"}
_PRECISIONS = ("highest", "high", "medium")


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Recorded; every chainrule op is deterministic already (no atomics, no GPU)."""
    if not isinstance(mode, bool):
        raise TypeError(
            f"use_deterministic_algorithms: expected a bool mode, got {type(mode).__name__}."
        )
    _state["deterministic"], _state["warn_only"] = mode, bool(warn_only)


def are_deterministic_algorithms_enabled() -> bool:
    return _state["deterministic"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    return _state["warn_only"]


def set_float32_matmul_precision(precision: str) -> None:
    """Recorded for get_float32_matmul_precision; NumPy's float32 matmul is full precision."""
    if precision not in _PRECISIONS:
        warnings.warn(
            f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
            f"setFloat32MatmulPrecision call has no effect.",
            UserWarning,
            stacklevel=2,
        )
        return
    _state["matmul"] = precision


def get_float32_matmul_precision() -> str:
    return _state["matmul"]
