"""torch.autograd.backward: backward from several tensors at once, or into chosen inputs only."""

from __future__ import annotations

from typing import Any

from .autograd.grad_mode import _Mode
from .autograd.tensor import Tensor
from .autograd_grad import grad as autograd_grad
from .cpugraph.capture import record_call
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
    inputs = list({id(x): x for x in inputs}.values())  # one named twice gets it once, as torch
    grads = autograd_grad(tensors, inputs, grad_tensors, retain, create_graph, allow_unused=True)
    found = [(x, g) for x, g in zip(inputs, grads) if g is not None]
    if create_graph:
        for x, g in found:
            store(x, g)  # out of place, keeping the gradient's graph, as Tensor.backward
    elif found:  # recorded: inside a CPUGraph capture, each replay adds its gradients too
        record_call(_accumulate, [(x, g._data) for x, g in found], _Mode.capture is not None)


def _accumulate(found: list, replayed: bool) -> None:
    """Add each gradient into its tensor's ``.grad``, in place when one is there (as torch and
    the ordinary engine: a ``.grad`` read before shows the sum). A replay refills the same
    gradient arrays, so a ``.grad`` it starts must be a copy of one; eagerly each is new."""
    for x, grad in found:
        if x._grad is None:
            x._grad = grad.copy() if replayed else grad
        else:
            x._grad += grad


_accumulate.sees_grads = True  # type: ignore[attr-defined]  # (cpugraph: no clear before is dead)
