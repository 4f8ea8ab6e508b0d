"""Switches that change what Function.apply records: no_grad and detect_anomaly."""

from __future__ import annotations

import contextlib
from typing import Iterator


class _Switches:
    # An instance with slots, not a class used as a namespace: CPython 3.11 specialises a
    # slot read, while a class attribute read takes the generic lookup (three per op).
    __slots__ = ("grad_enabled", "anomaly", "capture")

    def __init__(self) -> None:
        self.grad_enabled = True
        self.anomaly = False
        self.capture = None  # the CPUGraph being recorded (chainrule/cpugraph/), if any


_Mode = _Switches()


def is_grad_enabled() -> bool:
    return _Mode.grad_enabled


@contextlib.contextmanager
def no_grad() -> Iterator[None]:
    """Run ops without recording a graph: for evaluation and for parameter updates."""
    previous = _Mode.grad_enabled
    _Mode.grad_enabled = False
    try:
        yield
    finally:
        _Mode.grad_enabled = previous


@contextlib.contextmanager
def enable_grad() -> Iterator[None]:
    previous = _Mode.grad_enabled
    _Mode.grad_enabled = True
    try:
        yield
    finally:
        _Mode.grad_enabled = previous


@contextlib.contextmanager
def detect_anomaly() -> Iterator[None]:
    """Raise AnomalyError at the first Function whose forward or backward makes NaN or Inf.

    Slower than normal mode (every result is scanned), so use it to find where a NaN
    is born, then turn it off.
    """
    previous = _Mode.anomaly
    _Mode.anomaly = True
    try:
        yield
    finally:
        _Mode.anomaly = previous


class set_grad_enabled:  # noqa: N801  (torch's name)
    """Switch recording on or off, as a call or as a context manager (torch.set_grad_enabled)."""

    def __init__(self, mode: bool) -> None:
        self.previous = _Mode.grad_enabled
        _Mode.grad_enabled = bool(mode)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        _Mode.grad_enabled = self.previous


# torch.inference_mode: on the CPU with NumPy there is nothing beyond no_grad to switch off
inference_mode = no_grad
