"""What check() keeps apart from the student's code: a time limit, and what the code prints.

A student's endless loop (``while i < 10:`` with no ``i += 1``) must end in a report, not in a
notebook that hangs until the kernel is restarted; and a forward that prints is called hundreds
of times by finite differences, which would bury the report under its output.
"""

from __future__ import annotations

import contextlib
import io
import signal
import threading
import time
import warnings
from typing import Iterator


class TimeLimit(BaseException):
    """Raised into the student's code when the check runs out of time.

    A BaseException, so that the student's own ``except Exception:`` cannot swallow it.
    """


def check_time_limit(seconds) -> float | None:
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds > 0:
        raise ValueError(
            f"chainrule.check(time_limit={seconds!r}): expected a positive number of seconds "
            f"or None, got {seconds!r}."
        )
    return float(seconds)


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise TimeLimit wherever the code is after ``seconds``; no limit off the main thread."""
    usable = (
        seconds is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise TimeLimit

    previous = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    # someone else's timer (pytest-timeout, the student's own alarm) is put back with what it had left
    outer, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:
            left = max(outer - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, interval)


@contextlib.contextmanager
def quiet() -> Iterator[io.StringIO]:
    """Whatever the student's code prints or warns while checked is kept here, not shown.

    Warnings are recorded, never raised: under ``-W error`` (pytest, nbgrader) np.matrix's
    PendingDeprecationWarning or an overflow in np.exp would otherwise read as the student's error;
    the NaN it leads to is reported as a finding instead.
    """
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        yield buffer


def lines_printed(buffer: io.StringIO) -> int:
    text = buffer.getvalue()
    return text.count("\n") + (not text.endswith("\n") if text else 0)
