"""torch.profiler.profile: start, stop, step through a schedule, hand finished traces on.

A schedule decides, step by step, whether the profiler records; torch's cycle is skip_first
steps, then wait, warmup and active steps, repeated. Warmup steps are not recorded here (torch
records them to throw them away, which matters for its GPU tracer, not for timing NumPy)."""

from __future__ import annotations

import enum
import gzip
import json
import os
import socket
import time
import warnings
from typing import Any, Callable, Iterable

from .._checks import message
from ..errors import ArgumentAssertionError
from . import recorder as _recorder
from .recorder import Recorder, record_function
from .table import EventList


class ProfilerActivity(enum.Enum):
    """What to profile: chainrule has only the CPU; CUDA and the others are accepted and empty."""

    CPU = 0
    XPU = 1
    MTIA = 2
    CUDA = 3
    HPU = 4
    PrivateUse1 = 5


def supported_activities() -> set[ProfilerActivity]:
    return {ProfilerActivity.CPU}


class ProfilerAction(enum.Enum):
    NONE = 0
    WARMUP = 1
    RECORD = 2
    RECORD_AND_SAVE = 3


def schedule(
    *,
    wait: int,
    warmup: int,
    active: int,
    repeat: int = 0,
    skip_first: int = 0,
    skip_first_wait: int = 0,
) -> Callable[[int], ProfilerAction]:
    """torch's schedule: a function from step number to what the profiler does at that step."""
    if wait < 0 or warmup < 0 or active <= 0 or repeat < 0 or skip_first < 0:
        raise ArgumentAssertionError(
            message(
                "schedule",
                "wait >= 0, warmup >= 0, active > 0, repeat >= 0, skip_first >= 0",
                f"wait={wait}, warmup={warmup}, active={active}, repeat={repeat}, "
                f"skip_first={skip_first}",
            )
        )
    if warmup == 0:
        warnings.warn(
            "Profiler won't be using warmup, this can skew profiler results", stacklevel=2
        )
    cycle = wait + warmup + active

    def action(step: int) -> ProfilerAction:
        if step < skip_first:
            return ProfilerAction.NONE
        step -= skip_first
        if skip_first_wait != 0:
            step += wait
        if repeat > 0 and step / cycle >= repeat:
            return ProfilerAction.NONE
        place = step % cycle
        if place < wait:
            return ProfilerAction.NONE
        if place < wait + warmup:
            return ProfilerAction.WARMUP
        return ProfilerAction.RECORD if place < cycle - 1 else ProfilerAction.RECORD_AND_SAVE

    return action


def _always_record(step: int) -> ProfilerAction:
    return ProfilerAction.RECORD


_RECORDING = (ProfilerAction.RECORD, ProfilerAction.RECORD_AND_SAVE)


class profile:  # noqa: N801  (torch's name)
    """Times every chainrule op (forward and backward) and every ``record_function`` range.

    >>> import chainrule as cr
    >>> from chainrule.profiler import profile, record_function
    >>> with profile() as prof:
    ...     with record_function("step"):
    ...         y = (cr.ones(3, requires_grad=True) * 2).sum()
    >>> sorted(e.key for e in prof.key_averages())
    ['Mul', 'Sum', 'step']
    """

    def __init__(
        self,
        *,
        activities: Iterable[ProfilerActivity] | None = None,
        schedule: Callable[[int], ProfilerAction] | None = None,
        on_trace_ready: Callable[[profile], Any] | None = None,
        record_shapes: bool = False,
        profile_memory: bool = False,
        with_stack: bool = False,
        with_flops: bool = False,
        with_modules: bool = False,
        experimental_config: Any = None,
        execution_trace_observer: Any = None,
        acc_events: bool = False,
        custom_trace_id_callback: Any = None,
        **ignored: Any,
    ) -> None:
        self.activities = set(activities) if activities is not None else supported_activities()
        self.schedule = schedule or _always_record
        self.record_steps = schedule is not None  # torch marks ProfilerStep#n only then
        self.on_trace_ready = on_trace_ready
        self.record_shapes, self.profile_memory, self.with_stack = (
            record_shapes,
            profile_memory,
            with_stack,
        )
        self.with_flops, self.with_modules, self.acc_events = with_flops, with_modules, acc_events
        self.step_num = 0
        self.current_action = self.schedule(0)
        self._finished: Recorder | None = None
        self._step_range: record_function | None = None
        self._recording = False

    # --- the recording --------------------------------------------------------------
    def _transit(self, before: ProfilerAction | None, after: ProfilerAction | None) -> None:
        if self._recording and (
            before is ProfilerAction.RECORD_AND_SAVE or after not in _RECORDING
        ):
            self._finished, self._recording = _recorder.stop(), False
            if self.on_trace_ready is not None:
                self.on_trace_ready(self)
        if after in _RECORDING and not self._recording:
            _recorder.start(Recorder(self.record_shapes))  # refuses while another profiler records
            self._recording = True

    def _enter_step(self) -> None:
        if self.record_steps:
            self._step_range = record_function(f"ProfilerStep#{self.step_num}")
            self._step_range.__enter__()

    def _exit_step(self) -> None:
        if self._step_range is not None:
            self._step_range.__exit__(None, None, None)
            self._step_range = None

    def start(self) -> None:
        self._transit(ProfilerAction.NONE, self.current_action)
        self._enter_step()

    def stop(self) -> None:
        self._exit_step()
        self._transit(self.current_action, None)

    def step(self) -> None:
        """Tell the profiler a training step ended: the schedule decides what happens next."""
        self._exit_step()
        before = self.current_action
        self.step_num += 1
        self.current_action = self.schedule(self.step_num)
        self._transit(before, self.current_action)
        self._enter_step()

    def __enter__(self) -> profile:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # --- what was recorded ----------------------------------------------------------
    def events(self) -> EventList:
        """Every timed call of the last finished recording, in the order each one ended."""
        return EventList(self._finished.events if self._finished is not None else [])

    def key_averages(
        self, group_by_input_shape: bool = False, group_by_stack_n: int = 0, **kwargs: Any
    ) -> EventList:
        return self.events().key_averages(group_by_input_shape)

    def export_chrome_trace(self, path: str, **kwargs: Any) -> None:
        """The recording as a Chrome trace (chrome://tracing, Perfetto); ``.gz`` is gzipped."""
        pid = self._finished.pid if self._finished is not None else os.getpid()
        trace = {
            "schemaVersion": 1,
            "displayTimeUnit": "ms",
            "traceEvents": [
                {
                    "ph": "X",
                    "cat": "user_annotation" if e.category == "user_annotation" else "cpu_op",
                    "name": e.name,
                    "pid": pid,
                    "tid": e.thread,
                    "ts": e.start_us,
                    "dur": e.cpu_time_total,
                    "args": {},
                }
                for e in sorted(self.events(), key=lambda e: e.start_us)
            ],
        }
        text = json.dumps(trace, indent=1).encode()
        with (gzip.open if path.endswith(".gz") else open)(path, "wb") as out:
            out.write(text)


def tensorboard_trace_handler(
    dir_name: str, worker_name: str | None = None, use_gzip: bool = False, **kwargs: Any
) -> Callable[[profile], None]:
    """An ``on_trace_ready`` that writes each trace to ``dir_name`` under torch's file names
    (``<host>_<pid>.<ns>.pt.trace.json``), where TensorBoard's profiler plugin looks."""

    def handler(prof: profile) -> None:
        os.makedirs(dir_name, exist_ok=True)
        worker = worker_name or f"{socket.gethostname()}_{os.getpid()}"
        name = f"{worker}.{time.time_ns()}.pt.trace.json" + (".gz" if use_gzip else "")
        prof.export_chrome_trace(os.path.join(dir_name, name))

    return handler
