"""A Parameter, and a tensor's requires_grad, through a checkpoint, as torch.save keeps them.

torch.load gives back an ``nn.Parameter`` where a Parameter was saved, and a tensor that
requires grad where one that did was saved (a leaf either way). A checkpoint's tree carries
such an array as a ``SavedLeaf`` from the file readers to ``load``, which makes it the tensor.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class SavedLeaf:
    """An array read from a checkpoint, with what torch stored beside it."""

    __slots__ = ("array", "requires_grad", "parameter")

    def __init__(self, array: np.ndarray, requires_grad: bool, parameter: bool) -> None:
        self.array, self.requires_grad, self.parameter = array, requires_grad, parameter


def flags(value: Any) -> tuple[bool, bool]:
    """(requires_grad, is a Parameter) of a value being saved; (False, False) for an array."""
    from .autograd.tensor import Tensor
    from .nn.parameter import Parameter

    if not isinstance(value, Tensor):
        return False, False
    return bool(value._rg), isinstance(value, Parameter)


def loaded(array: np.ndarray, requires_grad: Any, parameter: bool) -> Any:
    """The array as load returns it: a SavedLeaf when torch would rebuild more than a tensor.
    (Only a float tensor can require grad: a file that says otherwise of another is not heeded.)"""
    requires_grad = requires_grad is True and array.dtype.kind in "fc"
    return SavedLeaf(array, requires_grad, parameter) if requires_grad or parameter else array


def as_tensor(leaf: SavedLeaf) -> Any:
    from .autograd.tensor import Tensor
    from .nn.parameter import Parameter

    if leaf.parameter:
        return Parameter(leaf.array, requires_grad=leaf.requires_grad)
    return Tensor._of(leaf.array, requires_grad=leaf.requires_grad)
