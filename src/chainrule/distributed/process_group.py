"""torch.distributed's process group, for the one process chainrule runs in.

A world of one is still a world: after ``init_process_group`` every collective is defined and
is the identity (a sum, mean, max or product over one rank is that rank's tensor), so a
training script written for DDP runs unchanged. What cannot be honoured is a second process,
and asking for one is an error, not a silent run that trains a different model."""

from __future__ import annotations

import os
from typing import Any

from .._checks import message
from ..errors import ArgumentAssertionError, ArgumentError, UnsupportedError

# torch's own sentence, kept verbatim so a script that matches on it still matches
NOT_INITIALIZED = (
    "Default process group has not been initialized, please make sure to call init_process_group"
)
_BACKENDS = ("gloo", "cpu:gloo")


class ProcessGroup:
    """A group of ranks; here always the one rank 0. ``rank()`` and ``size()`` as in torch."""

    def __init__(self, backend: str, ranks: tuple[int, ...] = (0,)) -> None:
        self._backend, self._ranks = backend, ranks

    def rank(self) -> int:
        return 0

    def size(self) -> int:
        return len(self._ranks)

    def name(self) -> str:
        return self._backend

    def __repr__(self) -> str:
        return f"ProcessGroup(backend={self._backend!r}, ranks={list(self._ranks)})"


class GroupMember:
    """torch's holder of the default group (``GroupMember.WORLD``); None before init."""

    WORLD: ProcessGroup | None = None
    NON_GROUP_MEMBER = -100


group = GroupMember  # torch.distributed.group.WORLD is the same object


def is_available() -> bool:
    """True, as on a CPU build of torch (its gloo backend)."""
    return True


def is_initialized() -> bool:
    return GroupMember.WORLD is not None


def is_gloo_available() -> bool:
    return True


def is_nccl_available() -> bool:
    return False  # NCCL needs CUDA


def is_mpi_available() -> bool:
    return False


def is_torchelastic_launched() -> bool:
    """Whether torchrun started this process (it sets TORCHELASTIC_RUN_ID), as torch answers."""
    return os.getenv("TORCHELASTIC_RUN_ID") is not None


def _one_process(who: str, what: str, got: Any) -> ArgumentError:
    return ArgumentError(
        message(
            who,
            f"{what} (chainrule runs one process)",
            repr(got),
            "run the script as one process (world_size=1, rank=0); several processes "
            "need torch itself.",
        )
    )


def init_process_group(
    backend: str | None = None,
    init_method: str | None = None,
    timeout: Any = None,
    world_size: int = -1,
    rank: int = -1,
    store: Any = None,
    group_name: str = "",
    pg_options: Any = None,
    device_id: Any = None,
) -> None:
    """Make the default group: one process, rank 0, backend gloo (torch's CPU backend).

    ``world_size``/``rank`` of -1 mean what torch's launchers set (WORLD_SIZE, RANK), which must
    then say one process too; without them, one process. ``init_method`` and ``store`` are
    accepted and not contacted: there is nobody else to meet."""
    if GroupMember.WORLD is not None:
        raise ArgumentError("trying to initialize the default process group twice!")  # torch's
    name = "gloo" if backend is None else str(backend).lower()
    if name not in _BACKENDS:
        raise UnsupportedError(
            message(
                "init_process_group",
                "backend 'gloo' (chainrule runs on the CPU)",
                repr(backend),
                "use backend='gloo'; 'nccl' needs CUDA GPUs.",
            )
        )
    if world_size == -1:
        world_size = int(os.getenv("WORLD_SIZE", "1"))
    if rank == -1:
        rank = int(os.getenv("RANK", "0"))
    if world_size != 1:
        raise _one_process("init_process_group", "world_size=1", world_size)
    if rank != 0:
        raise _one_process("init_process_group", "rank=0", rank)
    GroupMember.WORLD = ProcessGroup("gloo")


def destroy_process_group(group: ProcessGroup | None = None) -> None:
    """Forget the default group (or, given one, that group; only the default one matters)."""
    if group is None or group is GroupMember.WORLD:
        if GroupMember.WORLD is None:  # torch asserts here, with this class
            raise ArgumentAssertionError(
                message("destroy_process_group", "a process group", "None (none was initialized)")
            )
        GroupMember.WORLD = None


def _default_group(who: str) -> ProcessGroup:
    """The default group, or torch's ValueError when there is none yet."""
    if GroupMember.WORLD is None:
        raise ArgumentError(
            message(
                who,
                "an initialized default process group",
                f"none ({NOT_INITIALIZED})",
                "call chainrule.distributed.init_process_group('gloo', rank=0, world_size=1).",
            )
        )
    return GroupMember.WORLD


def get_rank(group: ProcessGroup | None = None) -> int:
    _default_group("get_rank")
    return 0


def get_world_size(group: ProcessGroup | None = None) -> int:
    return (group or _default_group("get_world_size")).size()


def get_backend(group: ProcessGroup | None = None) -> str:
    return (group or _default_group("get_backend")).name()


def get_global_rank(group: ProcessGroup, group_rank: int) -> int:
    return group._ranks[group_rank]


def get_process_group_ranks(group: ProcessGroup | None) -> list[int]:
    return list((group or _default_group("get_process_group_ranks"))._ranks)


def new_group(
    ranks: list[int] | None = None,
    timeout: Any = None,
    backend: str | None = None,
    pg_options: Any = None,
    use_local_synchronization: bool = False,
    group_desc: str | None = None,
    device_id: Any = None,
) -> ProcessGroup:
    """A group over ``ranks`` of the world; with one process, ``ranks`` is [0] or all of it."""
    world = _default_group("new_group")
    chosen = tuple(sorted(set(ranks))) if ranks else (0,)
    if chosen != (0,):
        raise _one_process("new_group", "ranks within [0]", list(ranks or []))
    return ProcessGroup(world.name() if backend is None else str(backend).lower(), chosen)
