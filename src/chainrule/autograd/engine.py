"""Reverse-mode differentiation: each Function's backward once, newest first."""

from __future__ import annotations

import heapq
from typing import Any

import numpy as np

from . import backward_checks as refuse
from .function import FREED, quietly
from .grad_mode import _Mode
from .hooks import run_hooks, store_all
from .tensor import Tensor


def run_backward(root: Tensor, grad: Any, retain_graph: bool) -> None:
    """Propagate d(root)/d(node) through the graph, then write each ``.grad`` once.

    Nodes wait in a heap keyed by their Function's sequence number, newest first. Every
    consumer of a node was created after it, so when a node comes off the heap all the
    gradients it will receive have arrived: one pass, no separate sort (torch orders its
    ready queue by sequence number the same way). When only one node waits, as along a
    chain, it is next without going through the heap.
    """
    root_grad = refuse.root_gradient(root, grad)
    # One table, every node, leaves too, keyed by the tensor itself (hashed by identity).
    grads: dict[Tensor, np.ndarray] = {root: root_grad}
    finished: list[tuple[Tensor, np.ndarray]] = []  # (tensor, gradient) for each .grad to write
    leaves: list[Tensor] = [root] if root._ctx is None else []
    heap: list = []  # _key(node) for each waiting node
    node = None if root._ctx is None else root
    recorder = None if _Mode.capture is None else _Mode.capture.recorder(id(root), grad)
    anomaly = _Mode.anomaly
    while node is not None:
        grad_node = grads.pop(node)
        ctx = node._ctx
        if node._hooks is not None:  # register_hook and retain_grad (autograd/hooks.py)
            grad_node = run_hooks(node, grad_node, finished)
        for counter, version in ctx.versions:  # saved tensors overwritten since forward? (or
            if counter[0] != version:  # freed: its versions are FREED, never current)
                refuse.modified(ctx, node)
        try:
            grads_in = ctx.backward(ctx, grad_node)  # a staticmethod: ctx is passed explicitly
        except RuntimeWarning:  # NaN from inf - inf etc., silent as in torch (function.quietly)
            grads_in = quietly(ctx.backward, ctx, grad_node)
        if type(grads_in) is not tuple:
            grads_in = (grads_in,)
        if anomaly:  # (a user's Function checks its own: see Function.__init_subclass__)
            refuse.gradients(ctx, grads_in, anomaly)
        if recorder is not None:
            recorder.node(ctx, id(node), grads_in)
        first = None  # the first node this one reaches; any others wait in the heap
        for parent, grad_parent in zip(ctx.inputs, grads_in):
            if grad_parent is None or parent is None or not parent._rg:
                continue
            if parent in grads:  # a second path into the same node: the chain rule's sum
                grads[parent] = grads[parent] + grad_parent
                continue
            grads[parent] = grad_parent
            if parent._ctx is None:
                leaves.append(parent)
            elif first is None:
                first = parent
            else:
                heapq.heappush(heap, _key(parent))
        if not retain_graph:  # drop what forward saved; FREED makes a second pass a clear error
            saved = ctx.__dict__  # (through the dict: attributes set via ctx now would cost more)
            saved.clear()
            saved["versions"] = FREED
        if heap:  # more than one node waits: the newest goes first
            key = heapq.heappop(heap) if first is None else heapq.heappushpop(heap, _key(first))
            node = key[2]
        else:  # none, or one: a chain's next link needs no heap (that was 4% of the chain)
            node = first
    for leaf in leaves:  # (the hook test inline: a call per leaf was 1.5% of the chain)
        grad_leaf = grads.pop(leaf)
        if leaf._hooks is not None:
            grad_leaf = run_hooks(leaf, grad_leaf, None)
        finished.append((leaf, grad_leaf))
    if recorder is None:
        store_all(finished)
    else:
        recorder.finish(root_grad, finished, store_all)


def _key(node: Tensor) -> tuple:
    """A node's place in the heap: its Function's sequence number, newest first (id breaks
    ties between released nodes, whose seq is 0)."""
    return (-node._ctx.seq, id(node), node)
