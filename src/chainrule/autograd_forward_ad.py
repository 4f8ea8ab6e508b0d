"""torch.autograd.forward_ad: dual tensors (a value and a tangent) inside a dual_level.

A dual tensor's ndarray is a func.dual.Dual, so every op carries the tangent forward by its
NumPy code's rules; unpack_dual reads it back, after checking that each op on the way has a
tested forward mode (func/forward_ops.py). Tangents read as None once no level is open."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .autograd.function import Function
from .autograd.tensor import Tensor
from .errors import ArgumentError, GraphError
from .func.dual import Dual, has_tangent, plain, tangent_of
from .func.forward_ops import check_ops

__all__ = ["UnpackedDualTensor", "dual_level", "enter_dual_level", "exit_dual_level"]
__all__ += ["make_dual", "unpack_dual"]

_levels: list[int] = []


class UnpackedDualTensor(NamedTuple):
    primal: Tensor
    tangent: Tensor | None


def enter_dual_level() -> int:
    """Open a level (torch allows one at a time) and return its number."""
    if _levels:
        raise GraphError(
            "forward_ad.enter_dual_level: expected no open dual level, got one.\nHint: "
            "nested forward-mode levels are not supported; use one dual_level."
        )
    _levels.append(0)
    return 0


def exit_dual_level(*, level: int | None = None) -> None:
    if not _levels:
        raise GraphError("forward_ad.exit_dual_level: expected an open dual level, got none.")
    _levels.pop()


class dual_level:  # noqa: N801  (torch's name)
    """Context manager for forward AD: make_dual and unpack_dual work inside it.

    >>> import chainrule as cr
    >>> import chainrule.autograd.forward_ad as fwAD
    >>> with fwAD.dual_level():
    ...     x = fwAD.make_dual(cr.tensor([1.0, 2.0]), cr.tensor([1.0, 0.5]))
    ...     fwAD.unpack_dual(x * x).tangent.tolist()
    [2.0, 2.0]
    """

    def __enter__(self) -> int:
        return enter_dual_level()

    def __exit__(self, *exc: Any) -> None:
        exit_dual_level()


class MakeDual(Function):
    """y = x, with a tangent riding along; the gradient passes straight back to x."""

    @staticmethod
    def forward(ctx, x, tangent):
        return Dual(x, tangent)

    @staticmethod
    def backward(ctx, grad_y):
        return plain(grad_y), None


def make_dual(tensor: Tensor, tangent: Tensor, *, level: int | None = None) -> Tensor:
    """``tensor`` with ``tangent`` attached (same shape), inside a dual_level."""
    if not _levels:
        raise GraphError(
            "forward_ad.make_dual: expected an open dual level, got none.\nHint: call it "
            "inside `with forward_ad.dual_level():`."
        )
    if not isinstance(tensor, Tensor) or not isinstance(tangent, Tensor):
        raise ArgumentError(
            f"forward_ad.make_dual: expected Tensors, got {type(tensor).__name__} and "
            f"{type(tangent).__name__}."
        )
    if tuple(tensor.shape) != tuple(tangent.shape):
        raise ArgumentError(
            f"forward_ad.make_dual: expected a tangent of the tensor's shape "
            f"{tuple(tensor.shape)}, got {tuple(tangent.shape)}."
        )
    if tensor.requires_grad:  # recorded, so gradients still reach tensor
        return MakeDual.apply(tensor, tangent.detach())
    data = Dual(tensor._data, tangent._data.astype(tensor._data.dtype))
    # a leaf that records the ops after it, so that unpack_dual can check each of them
    return Tensor._wrap(data, requires_grad=data.dtype.kind in "fc")


def unpack_dual(tensor: Tensor, *, level: int | None = None) -> UnpackedDualTensor:
    """(primal, tangent) of a tensor; the tangent is None for a plain one or outside a level."""
    data = tensor._data
    if not isinstance(data, Dual):
        return UnpackedDualTensor(tensor, None)
    primal = Tensor._wrap(data.view(np.ndarray))
    if not _levels or not has_tangent(data):
        return UnpackedDualTensor(primal, None)
    check_ops([tensor], "forward_ad.unpack_dual")
    return UnpackedDualTensor(primal, Tensor._wrap(np.array(tangent_of(data))))
