"""nn.Buffer: torch >= 2.5's way to declare a buffer by assignment, ``self.mean = nn.Buffer(t)``,
as ``nn.Parameter`` declares a parameter."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.tensor import Tensor
from ..dtypes import get_default_dtype


class Buffer(Tensor):
    """A tensor that a Module registers as a buffer when it is assigned as an attribute.

    It shares ``data``'s memory (torch's is ``data.detach()``); ``persistent=False`` keeps it
    out of ``state_dict()``. The module stores it as a plain Tensor over the same memory.

    >>> from chainrule import nn, zeros
    >>> m = nn.Module()
    >>> m.count = nn.Buffer(zeros(2))
    >>> list(m.state_dict())
    ['count']
    """

    __slots__ = ("persistent",)
    _keeps_data = True  # data's dtype, as torch's nn.Parameter(t) keeps t's

    def __init__(self, data: Any = None, *, persistent: bool = True) -> None:
        if data is None:
            data = np.zeros(0, dtype=get_default_dtype())
        tracked = isinstance(data, Tensor) and data.requires_grad
        super().__init__(data._data if isinstance(data, Tensor) else data, requires_grad=tracked)
        self.persistent = persistent


def assign(module: Any, name: str, value: Buffer) -> None:
    """Module.__setattr__'s branch for a Buffer: registered (persistent or not, as the Buffer
    says), as torch's register_buffer; what the module keeps is a Tensor over its memory."""
    plain = Tensor._wrap(value._data, value._rg)
    module.register_buffer(name, plain, persistent=value.persistent)
    if value.persistent:
        module.__dict__.get("_non_persistent_buffers", set()).discard(name)
