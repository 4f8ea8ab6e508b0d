"""Reverse-mode differentiation: each Function's backward once, newest first."""

from __future__ import annotations

import heapq
from typing import Any

import numpy as np

from . import backward_checks as refuse
from .grad_mode import _Mode
from .hooks import run_hooks
from .tensor import Tensor


def run_backward(root: Tensor, grad: Any, retain_graph: bool) -> None:
    """Propagate d(root)/d(node) through the graph, then write each ``.grad`` once.

    Nodes wait in a heap keyed by their Function's sequence number, newest first. Every
    consumer of a node was created after it, so when a node comes off the heap all the
    gradients it will receive have arrived: one pass, no separate sort (torch orders its
    ready queue by sequence number the same way).
    """
    root_grad = refuse.root_gradient(root, grad)
    # One table, every node, leaves too, keyed by the tensor itself (hashed by identity).
    grads: dict[Tensor, np.ndarray] = {root: root_grad}
    finished: list[tuple[Tensor, np.ndarray]] = []  # (tensor, gradient) for each .grad to write
    leaves: list[Tensor] = [root] if root._ctx is None else []
    heap: list = [] if root._ctx is None else [(-root._ctx.seq, id(root), root)]
    recorder = None if _Mode.capture is None else _Mode.capture.recorder(id(root))
    anomaly = _Mode.anomaly
    while heap:
        node = heapq.heappop(heap)[2]
        grad_node = grads.pop(node)
        ctx = node._ctx
        if node._hooks is not None:  # register_hook and retain_grad (autograd/hooks.py)
            grad_node = run_hooks(node, grad_node, finished)
        if ctx.freed:
            refuse.freed(ctx)
        for counter, version in ctx.versions:  # saved tensors overwritten since forward?
            if counter[0] != version:
                refuse.modified(ctx)
        grads_in = ctx.backward(ctx, grad_node)  # a staticmethod, so ctx is passed explicitly
        if type(grads_in) is not tuple:
            grads_in = (grads_in,)
        if anomaly or ctx.check_grads:  # one gradient per input, each of its input's shape
            refuse.gradients(ctx, grads_in, anomaly)
        if recorder is not None:
            recorder.node(ctx, id(node), grads_in)
        for parent, grad_parent in zip(ctx.inputs, grads_in):
            if grad_parent is None or parent is None or not parent.requires_grad:
                continue
            previous = grads.get(parent)
            if previous is not None:  # a second path into the same node: the chain rule's sum
                grads[parent] = previous + grad_parent
            elif parent._ctx is None:
                grads[parent] = grad_parent
                leaves.append(parent)
            else:  # (id breaks ties between released nodes, whose seq is 0)
                grads[parent] = grad_parent
                heapq.heappush(heap, (-parent._ctx.seq, id(parent), parent))
        if not retain_graph:
            ctx.release()
    finished += [(leaf, run_hooks(leaf, grads.pop(leaf), None)) for leaf in leaves]
    if recorder is None:
        store_all(finished)
    else:
        recorder.finish(root_grad, finished, store_all)


def store_all(finished: list[tuple[Tensor, np.ndarray]]) -> None:
    """Add each finished gradient into its tensor's ``.grad``, in place when one is there.

    A new .grad must own its memory: an array another .grad of this pass already holds (Add
    hands the same array to both inputs), a view, or a read-only constant is copied, so a
    later in-place accumulation into one .grad never shows up in another.
    """
    owned: set[int] = set()
    for tensor, grad in finished:
        if tensor._grad is not None:
            tensor._grad += grad
            continue
        if type(grad) is not np.ndarray:  # a NumPy scalar from a 0-d product
            grad = np.array(grad)
        elif grad.base is not None or id(grad) in owned or not grad.flags.writeable:
            grad = grad.copy()  # (base, not flags.owndata: .flags builds an object per read)
        owned.add(id(grad))
        tensor._grad = grad
