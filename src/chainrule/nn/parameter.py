"""Parameter: a Tensor that a Module registers as learnable."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import PASSING_TYPES
from ..autograd.tensor import Tensor
from ..dtypes import get_default_dtype


class Parameter(Tensor):
    """A leaf tensor with requires_grad=True that Module.parameters() finds."""

    __slots__ = ()
    _keeps_data = True  # data's dtype, as torch's nn.Parameter(t) keeps t's

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            data = np.zeros(0, dtype=get_default_dtype())
        # shares a Tensor's or ndarray's memory; Python lists take the default dtype
        super().__init__(
            data._data if isinstance(data, Tensor) else data, requires_grad=requires_grad
        )

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


PASSING_TYPES.add(Parameter)  # check_tensor lets it by without its isinstance test
