"""Flatten parameters into one vector and back, as torch.nn.utils does (for line searches,
weight averaging and second-order tricks that want the model as a single point)."""

from __future__ import annotations

from typing import Any, Iterable

from ...autograd.tensor import Tensor
from ...functional import cat


def parameters_to_vector(parameters: Iterable[Any]) -> Tensor:
    """One 1-D tensor of every parameter, in order; differentiable, as torch's."""
    return cat([param.reshape(-1) for param in parameters])


def vector_to_parameters(vec: Any, parameters: Iterable[Any]) -> None:
    """Give each parameter the next ``numel`` values of ``vec`` (its ``.data`` is replaced)."""
    if not isinstance(vec, Tensor):
        raise TypeError(
            f"vector_to_parameters: expected vec to be a Tensor, got {type(vec).__name__}."
        )
    params = list(parameters)
    needed = sum(param.numel() for param in params)
    if vec.ndim != 1 or vec.numel() != needed:
        raise ValueError(
            f"vector_to_parameters: expected a 1-D vec of {needed} values (the parameters' "
            f"total), got shape {tuple(vec.shape)}."
        )
    pointer = 0
    for param in params:
        count = param.numel()
        param.data = vec[pointer : pointer + count].detach().reshape(tuple(param.shape)).clone()
        pointer += count
