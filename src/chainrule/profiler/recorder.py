"""What a running profiler observes: every Function's forward and backward, and the ranges a
program names with ``record_function``.

The hot path (``autograd/function.py``'s ``_apply``, the engine's loop) holds no profiler test
at all: while a profiler records, each Function class's ``forward`` and ``backward`` are
swapped for timing wrappers, and put back when it stops. So with no profiler running, an op
costs exactly what it cost before the profiler existed (bench/RESULTS.md counts it)."""

from __future__ import annotations

import os
import threading
import time
from contextlib import ContextDecorator
from typing import Any, Callable

from .._checks import message
from ..autograd.function import Function
from ..errors import ArgumentError


class FunctionEvent:
    """One timed call: a name, its interval (microseconds) and its time outside its children."""

    __slots__ = (
        "name",
        "category",
        "start_us",
        "end_us",
        "self_cpu_time_total",
        "thread",
        "depth",
        "input_shapes",
    )

    def __init__(self, name: str, category: str, start_us: float, depth: int) -> None:
        self.name, self.category, self.start_us, self.depth = name, category, start_us, depth
        self.end_us = start_us
        self.input_shapes: list = []  # with record_shapes: each argument's shape ([] for others)
        self.self_cpu_time_total = 0.0
        self.thread = threading.get_ident()

    @property
    def key(self) -> str:
        return self.name

    @property
    def cpu_time_total(self) -> float:
        return self.end_us - self.start_us

    @property
    def cpu_time(self) -> float:
        return self.end_us - self.start_us

    @property
    def self_cpu_time(self) -> float:
        return self.self_cpu_time_total

    count = 1
    # torch's GPU and memory figures, which a CPU-only profile leaves at 0
    device_time_total = self_device_time_total = 0.0
    cpu_memory_usage = self_cpu_memory_usage = 0

    def __repr__(self) -> str:
        return f"<FunctionEvent name={self.name!r} cpu_time_total={self.cpu_time_total:.3f}us>"


class Recorder:
    """The events of one recording; ``open``/``close`` nest like the calls they time."""

    def __init__(self, record_shapes: bool = False) -> None:
        self.record_shapes = record_shapes
        self.events: list[FunctionEvent] = []
        self.pid = os.getpid()
        self._stack: list[tuple[FunctionEvent, list[float]]] = []

    def open(self, name: str, category: str) -> FunctionEvent:
        event = FunctionEvent(name, category, time.perf_counter_ns() / 1000.0, len(self._stack))
        self._stack.append((event, [0.0]))
        return event

    def close(self, event: FunctionEvent) -> None:
        end = time.perf_counter_ns() / 1000.0
        # a range left open inside this one (an exception skipped its exit) closes with it
        while self._stack:
            top, children = self._stack.pop()
            top.end_us = end
            top.self_cpu_time_total = top.cpu_time_total - children[0]
            self.events.append(top)
            if self._stack:
                self._stack[-1][1][0] += top.cpu_time_total
            if top is event:
                return


_state: dict[str, Any] = {"recorder": None, "saved": []}


def active() -> Recorder | None:
    return _state["recorder"]


def _timed(fn: Callable, stage: str) -> Callable:
    owner = fn.__qualname__.split(".")[0]

    def timed(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        recorder = _state["recorder"]
        if recorder is None:  # kept by a CPUGraph captured while profiling: run as written
            return fn(ctx, *args, **kwargs)
        name = type(ctx).__name__ if isinstance(ctx, Function) else owner
        event = recorder.open(name + "Backward0" if stage == "backward" else name, stage)
        if recorder.record_shapes:
            event.input_shapes = [list(getattr(a, "shape", ())) for a in args]
        try:
            return fn(ctx, *args, **kwargs)
        finally:
            recorder.close(event)

    timed.profiler_timed = fn  # type: ignore[attr-defined]  (what the tests look for)
    return timed


def _function_classes() -> list[type]:
    found: list[type] = []
    todo = [Function]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.append(sub)
                todo.append(sub)
    return found


def start(recorder: Recorder) -> None:
    """Make ``recorder`` the one that records, and time every Function class defined so far."""
    if _state["recorder"] is not None:
        raise ArgumentError(
            message(
                "profile",
                "no other profiler running",
                "one already recording",
                "leave the running profile (its with block) before starting another.",
            )
        )
    saved = []
    for cls in _function_classes():
        for stage in ("forward", "backward"):
            written = cls.__dict__.get(stage)
            if isinstance(written, staticmethod):
                saved.append((cls, stage, written))
                setattr(cls, stage, staticmethod(_timed(written.__func__, stage)))
    _state["saved"], _state["recorder"] = saved, recorder


def stop() -> Recorder | None:
    """Put every Function back as it was written; the recorder's open ranges close now."""
    recorder = _state["recorder"]
    for cls, stage, written in reversed(_state["saved"]):
        setattr(cls, stage, written)
    _state["saved"], _state["recorder"] = [], None
    if recorder is not None and recorder._stack:
        recorder.close(recorder._stack[0][0])
    return recorder


class record_function(ContextDecorator):  # noqa: N801  (torch's name)
    """Names a range of the program in the profile (a row of its own, its time is the range's).

    Costs one dict lookup when no profiler records. A decorator too, as in torch."""

    def __init__(self, name: str, args: str | None = None) -> None:
        self.name, self.args = name, args
        self._open: tuple[Recorder, FunctionEvent] | None = None

    def __enter__(self) -> record_function:
        recorder = _state["recorder"]
        if recorder is not None:
            self._open = (recorder, recorder.open(self.name, "user_annotation"))
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._open is not None:
            recorder, event = self._open
            self._open = None
            if recorder is _state["recorder"] and event in (e for e, _ in recorder._stack):
                recorder.close(event)
