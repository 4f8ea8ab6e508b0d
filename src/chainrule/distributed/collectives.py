"""torch.distributed's collectives over a world of one rank: each is the identity on its
tensors, with torch's checks on the ranks and list lengths it is given (gloo's errors)."""

from __future__ import annotations

import enum
import warnings
from typing import Any

from .._checks import message
from ..errors import ArgumentError
from .process_group import ProcessGroup, _default_group


class ReduceOp(enum.IntEnum):
    """The reductions torch names (its RedOpType numbering); over one rank each is that rank."""

    SUM = 0
    AVG = 1
    PRODUCT = 2
    MIN = 3
    MAX = 4
    BAND = 5
    BOR = 6
    BXOR = 7
    PREMUL_SUM = 8
    UNUSED = 9


class Work:
    """What ``async_op=True`` returns: already finished, since nothing is sent anywhere."""

    def wait(self, timeout: Any = None) -> bool:
        return True

    def is_completed(self) -> bool:
        return True

    def is_success(self) -> bool:
        return True


def _done(who: str, group: ProcessGroup | None, async_op: bool) -> Work | None:
    (group or _default_group(who)).size()
    return Work() if async_op else None


def _root(who: str, rank: int, name: str) -> None:
    if rank != 0:  # gloo's "invalid root rank", a RuntimeError
        raise ArgumentError(message(who, f"{name}=0, the only rank", f"{name}={rank}"))


def _list_of_one(who: str, tensors: list, name: str) -> None:
    if len(tensors) != 1:
        raise ArgumentError(
            message(who, f"{name} of length 1 (the world size)", f"length {len(tensors)}")
        )


def barrier(group: ProcessGroup | None = None, async_op: bool = False, device_ids: Any = None):
    return _done("barrier", group, async_op)


def all_reduce(tensor: Any, op: ReduceOp = ReduceOp.SUM, group: Any = None, async_op: bool = False):
    """Every rank's ``tensor`` reduced, in place: with one rank, ``tensor`` as it is."""
    return _done("all_reduce", group, async_op)


def reduce(
    tensor: Any,
    dst: int = 0,
    op: ReduceOp = ReduceOp.SUM,
    group: Any = None,
    async_op: bool = False,
):
    work = _done("reduce", group, async_op)
    _root("reduce", dst, "dst")
    return work


def broadcast(tensor: Any, src: int = 0, group: Any = None, async_op: bool = False):
    work = _done("broadcast", group, async_op)
    _root("broadcast", src, "src")
    return work


def all_gather(tensor_list: list, tensor: Any, group: Any = None, async_op: bool = False):
    """``tensor_list[r]`` becomes rank r's ``tensor``: here the one entry becomes a copy."""
    work = _done("all_gather", group, async_op)
    _list_of_one("all_gather", tensor_list, "tensor_list")
    tensor_list[0].copy_(tensor)
    return work


def all_gather_single(output_tensor: Any, input_tensor: Any, group: Any = None, async_op=False):
    """Every rank's tensor side by side in one output: in a world of one, the input."""
    work = _done("all_gather_single", group, async_op)
    output_tensor.copy_(input_tensor.reshape(output_tensor.shape))
    return work


def all_gather_into_tensor(output_tensor: Any, input_tensor: Any, group=None, async_op=False):
    _deprecated("all_gather_into_tensor", "all_gather_single")
    return all_gather_single(output_tensor, input_tensor, group, async_op)


def _deprecated(old: str, new: str) -> None:
    """torch 2.13's FutureWarning for the collectives it renamed."""
    warnings.warn(
        f"`torch.distributed.{old}` is deprecated. Please use `torch.distributed.{new}` instead.",
        FutureWarning,
        stacklevel=3,
    )


def gather(
    tensor: Any, gather_list: list | None = None, dst: int = 0, group: Any = None, async_op=False
):
    work = _done("gather", group, async_op)
    _root("gather", dst, "dst")
    if gather_list is not None:
        _list_of_one("gather", gather_list, "gather_list")
        gather_list[0].copy_(tensor)
    return work


def scatter(
    tensor: Any, scatter_list: list | None = None, src: int = 0, group: Any = None, async_op=False
):
    work = _done("scatter", group, async_op)
    _root("scatter", src, "src")
    if scatter_list is not None:
        _list_of_one("scatter", scatter_list, "scatter_list")
        tensor.copy_(scatter_list[0])
    return work


def reduce_scatter(
    output: Any, input_list: list, op: ReduceOp = ReduceOp.SUM, group: Any = None, async_op=False
):
    work = _done("reduce_scatter", group, async_op)
    _list_of_one("reduce_scatter", input_list, "input_list")
    output.copy_(input_list[0])
    return work


def reduce_scatter_single(
    output: Any, input: Any, op: ReduceOp = ReduceOp.SUM, group: Any = None, async_op=False
):  # noqa: A002
    """One rank's share of the reduction: in a world of one, the whole input."""
    work = _done("reduce_scatter_single", group, async_op)
    output.copy_(input.reshape(output.shape))
    return work


def reduce_scatter_tensor(output: Any, input: Any, op=ReduceOp.SUM, group=None, async_op=False):  # noqa: A002
    _deprecated("reduce_scatter_tensor", "reduce_scatter_single")
    return reduce_scatter_single(output, input, op, group, async_op)


def all_to_all_single(
    output: Any,
    input: Any,  # noqa: A002
    output_split_sizes: Any = None,
    input_split_sizes: Any = None,
    group: Any = None,
    async_op: bool = False,
):
    work = _done("all_to_all_single", group, async_op)
    output.copy_(input)
    return work


def all_to_all(output_tensor_list: list, input_tensor_list: list, group=None, async_op=False):
    work = _done("all_to_all", group, async_op)
    _list_of_one("all_to_all", output_tensor_list, "output_tensor_list")
    _list_of_one("all_to_all", input_tensor_list, "input_tensor_list")
    output_tensor_list[0].copy_(input_tensor_list[0])
    return work


def all_gather_object(object_list: list, obj: Any, group: Any = None) -> None:
    _done("all_gather_object", group, False)
    _list_of_one("all_gather_object", object_list, "object_list")
    object_list[0] = obj


def broadcast_object_list(
    object_list: list, src: int | None = None, group: Any = None, device: Any = None
) -> None:
    _done("broadcast_object_list", group, False)
    _root("broadcast_object_list", 0 if src is None else src, "src")


def gather_object(
    obj: Any, object_gather_list: list | None = None, dst: int | None = None, group=None
):
    _done("gather_object", group, False)
    _root("gather_object", 0 if dst is None else dst, "dst")
    if object_gather_list is not None:
        _list_of_one("gather_object", object_gather_list, "object_gather_list")
        object_gather_list[0] = obj
