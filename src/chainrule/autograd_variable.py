"""torch.autograd.Variable, the wrapper that tensors replaced in torch 0.4 and that old scripts
(GANs in 50 lines, early tutorials) still call: ``Variable(t)`` is t's data as a new leaf."""

from __future__ import annotations

import warnings
from typing import Any

from .autograd.tensor import Tensor


class _VariableMeta(type):
    def __instancecheck__(cls, other: Any) -> bool:  # every tensor is a Variable, as in torch
        return isinstance(other, Tensor)


class Variable(metaclass=_VariableMeta):
    """``Variable(data, requires_grad=False)``: a tensor sharing data's memory, cut from its
    graph (torch's gives the same), requiring grad as asked."""

    def __new__(cls, data: Any, requires_grad: bool = False, volatile: bool = False) -> Any:
        if not isinstance(data, Tensor):
            raise TypeError(
                f"Variable: expected data to be a Tensor, got {type(data).__name__}.\n"
                f"Hint: wrap it first: Variable(torch.tensor(data)), or use the tensor directly."
            )
        if volatile:
            warnings.warn(
                "volatile was removed and now has no effect. Use `with torch.no_grad():` instead.",
                UserWarning,
                stacklevel=2,
            )
        return data.detach().requires_grad_(requires_grad)
