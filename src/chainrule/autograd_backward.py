"""torch.autograd.backward: backward from several tensors at once, or into chosen inputs only."""

from __future__ import annotations

from typing import Any

from .autograd.tensor import Tensor
from .autograd_grad import grad as autograd_grad
from .errors import ArgumentError
from .higher.engine import store


def backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    grad_variables: Any = None,
    inputs: Any = None,
) -> None:
    """Accumulate d(sum of tensors . grad_tensors)/d(leaf) into each leaf's ``.grad``; with
    ``inputs``, into those tensors' ``.grad`` only, as torch.autograd.backward.

    >>> import chainrule as cr
    >>> x = cr.tensor([1.0, 2.0], requires_grad=True)
    >>> cr.autograd.backward([(x * x).sum(), x.sum()])
    >>> x.grad.tolist()
    [3.0, 5.0]
    """
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    if grad_tensors is None:
        grad_tensors = grad_variables
    if grad_tensors is None or isinstance(grad_tensors, Tensor):
        grad_tensors = [grad_tensors] * len(tensors) if grad_tensors is None else [grad_tensors]
    grad_tensors = list(grad_tensors)
    if len(grad_tensors) != len(tensors):
        raise ArgumentError(
            f"autograd.backward: expected one grad_tensor per tensor ({len(tensors)}), got "
            f"{len(grad_tensors)}."
        )
    retain = create_graph if retain_graph is None else retain_graph
    if inputs is None:
        for i, (t, g) in enumerate(zip(tensors, grad_tensors)):
            t.backward(g, retain_graph=retain or i < len(tensors) - 1, create_graph=create_graph)
        return
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if not inputs:
        raise ArgumentError("autograd.backward: expected a non-empty inputs, got an empty one.")
    grads = autograd_grad(tensors, inputs, grad_tensors, retain, create_graph, allow_unused=True)
    for x, g in zip(inputs, grads):
        if g is not None and create_graph:
            store(x, g)  # out of place, keeping the gradient's graph, as Tensor.backward
        elif g is not None:
            x._grad = g._data if x._grad is None else x._grad + g._data
