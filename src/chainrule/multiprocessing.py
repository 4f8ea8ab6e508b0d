"""``torch.multiprocessing``: Python's multiprocessing, plus torch's ``spawn`` and sharing
strategies. chainrule runs one process, so ``spawn(fn, nprocs=1)`` calls ``fn(0, *args)`` here,
in this process (torch starts a child for it); more processes are refused."""

from __future__ import annotations

from multiprocessing import *  # noqa: F403  (torch.multiprocessing re-exports it whole)
from multiprocessing import get_all_start_methods, get_start_method, set_start_method  # noqa: F401
from typing import Any, Callable

from ._checks import message
from .errors import ArgumentError

_strategy = {"now": "file_descriptor"}


def get_all_sharing_strategies() -> set[str]:
    return {"file_descriptor", "file_system"}


def get_sharing_strategy() -> str:
    return _strategy["now"]


def set_sharing_strategy(new_strategy: str) -> None:
    if new_strategy not in get_all_sharing_strategies():
        raise ArgumentError(
            message(
                "set_sharing_strategy",
                f"one of {sorted(get_all_sharing_strategies())}",
                repr(new_strategy),
            )
        )
    _strategy["now"] = new_strategy


def spawn(
    fn: Callable,
    args: tuple = (),
    nprocs: int = 1,
    join: bool = True,
    daemon: bool = False,
    start_method: str = "spawn",
) -> None:
    """``fn(0, *args)``: the one process's rank is 0, as DDP scripts expect."""
    if nprocs != 1:
        raise ArgumentError(
            message(
                "spawn",
                "nprocs=1 (chainrule runs one process)",
                f"nprocs={nprocs}",
                "pass nprocs=1 and world_size=1; several processes need torch itself.",
            )
        )
    fn(0, *args)


def start_processes(
    fn: Callable,
    args: tuple = (),
    nprocs: int = 1,
    join: bool = True,
    daemon: bool = False,
    start_method: str = "spawn",
) -> Any:
    return spawn(fn, args, nprocs, join, daemon, start_method)
