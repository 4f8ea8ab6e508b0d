"""Tensor methods about memory (``data_ptr``, ``element_size``, ``storage_offset``, ``nbytes``,
``pin_memory``, ``share_memory_``), answered from the NumPy array underneath. Written outside
autograd/ (which keeps a line budget) and bound onto Tensor at import, as functional/tensor_extras.py
binds its methods."""

from __future__ import annotations

from typing import Any

import numpy as np

from .autograd.tensor import Tensor
from .device import DeviceError


def _root(array: np.ndarray) -> np.ndarray:
    """The array that owns the memory a view looks into (torch's storage)."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def data_ptr(self: Any) -> int:
    """The address of the first element, as torch's (equal for a tensor and a view at offset 0)."""
    return int(self._data.__array_interface__["data"][0])


def element_size(self: Any) -> int:
    return int(self._data.itemsize)


def storage_offset(self: Any) -> int:
    """How many elements into its storage a view starts (0 for a tensor that owns its memory)."""
    root = _root(self._data)
    start = data_ptr(self) - int(root.__array_interface__["data"][0])
    return start // self._data.itemsize


class TypedStorage:
    """What ``Tensor.storage()`` returns: every element of the memory a tensor looks into, in
    memory order, as torch's TypedStorage (old scripts read values by ``v.data.storage()``).
    torch's deprecation warning is left out: the object stays as torch 2 keeps it."""

    def __init__(self, tensor: Any) -> None:
        self._array = _root(tensor._data)
        self.dtype, self.device = tensor.dtype, tensor.device

    def _flat(self) -> np.ndarray:
        return np.ravel(self._array, order="K")

    def tolist(self) -> list:
        return self._flat().tolist()

    def size(self) -> int:
        return int(self._array.size)

    __len__ = size

    def __getitem__(self, index: int) -> Any:
        return self._flat()[index].item()

    def __iter__(self) -> Any:
        return iter(self.tolist())

    def element_size(self) -> int:
        return int(self._array.itemsize)

    def nbytes(self) -> int:
        return int(self._array.nbytes)

    def data_ptr(self) -> int:
        return int(self._array.__array_interface__["data"][0])

    def __repr__(self) -> str:
        body = "\n".join(f" {v}" for v in self.tolist())
        return f"{body}\n[TypedStorage(dtype={self.dtype}, device={self.device}) of size {self.size()}]"


def pin_memory(self: Any, device: Any = None) -> Any:
    """Refused as a CPU-only torch refuses it: pinned memory is for copies to an accelerator."""
    raise DeviceError(
        "Tensor.pin_memory: expected an accelerator device, got none (chainrule runs on the "
        "CPU).\nHint: drop .pin_memory(); DataLoader(pin_memory=True) is accepted and ignored."
    )


def is_pinned(self: Any, device: Any = None) -> bool:
    return False


def share_memory_(self: Any) -> Any:
    """This tensor: batches are made in this process, so there is no other process to share with."""
    return self


def is_shared(self: Any) -> bool:
    return False


for _name, _method in {
    "data_ptr": data_ptr,
    "storage": lambda self: TypedStorage(self),
    "element_size": element_size,
    "storage_offset": storage_offset,
    "pin_memory": pin_memory,
    "is_pinned": is_pinned,
    "share_memory_": share_memory_,
    "is_shared": is_shared,
    "nbytes": property(lambda self: int(self._data.nbytes)),
    "itemsize": property(lambda self: int(self._data.itemsize)),
}.items():
    if not hasattr(Tensor, _name):  # Tensor's own methods win
        setattr(Tensor, _name, _method)
