"""torch.autograd.grad: the gradients of outputs with respect to chosen inputs, returned instead
of accumulated into ``.grad``. Kept outside autograd/ (which keeps a line budget): it runs the
ordinary backward and puts every ``.grad`` it touched back as it was."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .autograd.grad_mode import _Mode
from .autograd.hooks import RETAIN
from .autograd.tensor import Tensor
from .cpugraph.capture import record_call
from ._checks import message
from .autograd.backward_checks import freed
from .errors import GraphError, NotATensorError
from . import higher


def _graph(outputs: Sequence[Tensor]) -> list[Tensor]:
    """Every tensor reachable from ``outputs`` through the recorded graph, outputs included."""
    seen: dict[int, Tensor] = {}
    todo = list(outputs)
    while todo:
        node = todo.pop()
        if node is None or id(node) in seen:
            continue
        seen[id(node)] = node
        if node._ctx is not None:
            parents = getattr(node._ctx, "inputs", None)
            if parents is None:  # an earlier backward freed it: the engine's own error
                freed(node._ctx)
            todo.extend(parents)
    return list(seen.values())


def _on_paths(nodes: list[Tensor], inputs: Sequence[Tensor]) -> set[int]:
    """The ids of the tensors a gradient flows through on its way to ``inputs``, inputs
    included: torch runs only those nodes, so only their hooks and retain_grad see a gradient.
    Found from the inputs forward, along the edges ``nodes`` holds from each input to its uses."""
    uses: dict[int, list[Tensor]] = {}
    for t in nodes:
        for parent in t._ctx.inputs if t._ctx is not None else ():
            if parent is not None:
                uses.setdefault(id(parent), []).append(t)
    on = {id(t) for t in inputs}
    todo = list(inputs)
    while todo:
        for use in uses.get(id(todo.pop()), ()):
            if id(use) not in on:
                on.add(id(use))
                todo.append(use)
    return on


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
) -> tuple[Tensor | None, ...]:
    """d(outputs)/d(inputs) as a tuple, one entry per input; no ``.grad`` is changed.

    >>> import chainrule as cr
    >>> x = cr.tensor([1.0, 2.0], requires_grad=True)
    >>> cr.autograd.grad((x**2).sum(), x)[0].tolist(), x.grad
    ([2.0, 4.0], None)
    """
    if is_grads_batched:
        raise NotImplementedError(
            "autograd.grad: expected is_grads_batched=False, got True.\n"
            "Hint: loop over the batch of grad_outputs, or use chainrule.func.vmap."
        )
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    if grad_outputs is None or isinstance(grad_outputs, Tensor):
        grad_outputs = [grad_outputs] * len(outputs)
    for t in inputs:
        if not isinstance(t, Tensor):  # torch: "all inputs have to be Tensors"
            raise NotATensorError(message("autograd.grad", "every input to be a Tensor",
                                          type(t).__name__, "wrap it: chainrule.tensor(...)."))  # fmt: skip
        if not t.requires_grad:
            raise GraphError(
                "autograd.grad: expected inputs that require grad, got one with "
                "requires_grad=False.\nHint: create it with requires_grad=True."
            )
    if create_graph:  # Tensors with a graph, retained by default (chainrule/higher)
        retain = create_graph if retain_graph is None else retain_graph
        found = higher.run(outputs, grad_outputs, retain, inputs)
        results = [found.get(t) for t in inputs]
        return _finished(inputs, results, allow_unused, materialize_grads)
    nodes = list({id(t): t for t in _graph(outputs) + list(inputs)}.values())  # each once
    # A non-leaf that called retain_grad() keeps this pass's gradient too, as in torch (its
    # hook runs on every pass); every other .grad is put back as it was.
    # torch runs no node off the paths to ``inputs``: their hooks and retain_grad stay quiet
    on_paths = _on_paths(nodes, inputs)
    retained = {
        id(t) for t in nodes
        if t._ctx is not None and RETAIN in (t._hooks or ()) and id(t) in on_paths
    }  # fmt: skip
    saved = [(t, t._grad, t._hooks) for t in nodes]
    capture = _Mode.capture
    if capture is not None and retained:
        raise GraphError(
            "autograd.grad: expected no retain_grad() tensor in a graph captured by CPUGraph, "
            "got one.\nHint: read its gradient from the return value instead, or capture "
            "without retain_grad()."
        )
    stored = len(capture._unzeroed) if capture is not None else 0
    held: list = []  # inside a capture, each replay puts back the .grad it finds, as here
    if capture is not None:
        record_call(_hold_grads, nodes, held)
    try:
        for t in nodes:
            t._grad = None
            if id(t) not in on_paths:
                t._hooks = None  # (put back below, with the rest of what ``saved`` holds)
        for t in inputs:  # a non-leaf input keeps its gradient this once, after its own hooks
            if t._ctx is not None:
                t._hooks = [h for h in t._hooks or () if h is not RETAIN] + [RETAIN]
        for i, (out, grad_out) in enumerate(zip(outputs, grad_outputs)):
            keep = bool(retain_graph) or i < len(outputs) - 1
            out.backward(grad_out, retain_graph=keep)
        # recorded: inside a CPUGraph capture, a replay copies each step's gradient out
        results = [
            None if t._grad is None else Tensor._wrap(record_call(np.ndarray.copy, t._grad))
            for t in inputs
        ]
        if capture is not None:
            record_call(_put_back_grads, held)
    finally:
        for t, old_grad, hooks in saved:
            new_grad, t._grad, t._hooks = t._grad, old_grad, hooks
            if id(t) in retained and new_grad is not None:
                t._grad = new_grad if old_grad is None else old_grad + new_grad
        if capture is not None:  # each .grad set above is put back: none accumulates over steps
            del capture._unzeroed[stored:]
    return _finished(inputs, results, allow_unused, materialize_grads)


def _finished(inputs: tuple, results: list, allow_unused: Any, materialize_grads: bool) -> tuple:
    for t, result in zip(inputs, results):
        if result is None and not allow_unused and not materialize_grads:
            raise GraphError(
                "autograd.grad: expected every input to be used in the graph, got one that is "
                "not.\nHint: pass allow_unused=True to get None for it."
            )
    if materialize_grads:
        results = [r if r is not None else t.detach() * 0 for t, r in zip(inputs, results)]
    return tuple(results)


def _hold_grads(nodes: list, held: list) -> None:
    held[:] = [(t, t._grad) for t in nodes]


_hold_grads.sees_grads = True  # type: ignore[attr-defined]  # (cpugraph: no clear before is dead)


def _put_back_grads(held: list) -> None:
    for t, grad in held:
        t._grad = grad
