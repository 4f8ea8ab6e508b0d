"""DataLoader's multi-process options, checked as torch checks them. chainrule makes every batch
in this process: the options are validated and kept, so a torch script's loader line runs, and
``get_worker_info()`` is None, as torch's is in the main process."""

from __future__ import annotations

from typing import Any

from .._checks import fail_value


def check_worker_options(
    num_workers: int,
    timeout: float,
    prefetch_factor: int | None,
    persistent_workers: bool,
    multiprocessing_context: Any,
) -> int | None:
    """torch's rules, in torch's order; returns prefetch_factor as torch stores it."""
    if num_workers < 0:
        fail_value(
            "DataLoader",
            "num_workers >= 0",
            repr(num_workers),
            "use num_workers=0 to disable multiprocessing.",
        )
    if timeout < 0:
        fail_value("DataLoader", "a timeout >= 0", repr(timeout))
    if num_workers == 0 and prefetch_factor is not None:
        fail_value(
            "DataLoader",
            "prefetch_factor=None with num_workers=0",
            f"prefetch_factor={prefetch_factor!r}",
            "prefetch_factor only applies to worker processes; drop it or set num_workers > 0.",
        )
    if num_workers > 0 and prefetch_factor is None:
        prefetch_factor = 2
    elif prefetch_factor is not None and prefetch_factor < 0:
        fail_value("DataLoader", "prefetch_factor >= 0", repr(prefetch_factor))
    if persistent_workers and num_workers == 0:
        fail_value(
            "DataLoader",
            "num_workers > 0 with persistent_workers=True",
            "num_workers=0",
        )
    if multiprocessing_context is not None:
        if num_workers == 0:
            fail_value(
                "DataLoader",
                "num_workers > 0 with a multiprocessing_context",
                "num_workers=0",
            )
        import multiprocessing  # only here: most loaders never name a context

        methods = multiprocessing.get_all_start_methods()
        if isinstance(multiprocessing_context, str) and multiprocessing_context not in methods:
            fail_value(
                "DataLoader",
                f"multiprocessing_context in {methods!r}",
                repr(multiprocessing_context),
            )
    return prefetch_factor


def get_worker_info() -> None:
    """None: every batch is made in the main process (torch's answer there)."""
    return None
