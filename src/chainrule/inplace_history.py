"""A step recorded before an in-place write keeps the history it saw, as torch's edges do.

``y = x * 2; x += 1`` (x inside the graph) gives ``x`` a new history: the add, on a copy of the
old value (autograd/inplace.py). The multiplication still names the tensor ``x`` among its
inputs, so its gradient would flow into the add. torch's edges point at a history, not at a
tensor, and y's gradient reaches the old x. Here the in-place step leaves a weak reference
to ``old`` in ``x._prior[version]``, and when backward finds such an input overwritten it
moves the step onto ``old``, provided the step saved none of the overwritten memory (else its
gradient would read the new values, and backward refuses, as torch does). micrograd's own
test does this (``c += c + 1``, ``d += d * 2 + ...``).
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np


def remember(target: Any, old: Any) -> None:
    """Note that ``old`` holds ``target``'s history as of its current version. Weakly: the
    graph that still needs ``old`` keeps it alive (the in-place step's node, then backward's
    table of waiting nodes); once that graph is freed, old copies must not outlive it."""
    priors = getattr(target, "_prior", None)
    if priors is None:
        target._prior = priors = {}
    for version in [v for v, ref in priors.items() if ref() is None]:
        del priors[version]
    priors[target._vc[0]] = weakref.ref(old)


def reroute(ctx: Any, node: Any) -> bool:
    """Point ctx's overwritten inputs at the histories recorded with them; False, changing
    nothing, when one cannot be (then backward refuses)."""
    positions = [i for i, t in enumerate(ctx.inputs) if t is not None]
    inputs, versions = list(ctx.inputs), list(ctx.versions)
    for k, (counter, version) in enumerate(versions):
        if counter[0] == version:
            continue
        # its own output overwritten, or it is a view of the input: torch rebases such a
        # view onto the new history, which chainrule does not, so it keeps refusing
        if k >= len(positions) or counter is node._vc:
            return False
        target = inputs[positions[k]]
        old = _as_of(target, version)
        if old is None or _saved(ctx, target._data):
            return False
        inputs[positions[k]] = old
        versions[k] = (old._vc, old._vc[0])
    ctx.inputs, ctx.versions = tuple(inputs), versions
    return True


def _as_of(tensor: Any, version: int) -> Any:
    """The tensor standing for ``tensor``'s history at ``version``, if an in-place step left one
    (a write outside the graph, or through a view, leaves none)."""
    ref = (getattr(tensor, "_prior", None) or {}).get(version)
    return None if ref is None else ref()


def _saved(ctx: Any, data: np.ndarray) -> bool:
    """Whether anything ctx keeps for backward may share memory with ``data`` (a Function
    that keeps more than its gradients read, to stay lean in forward, lets go of it first)."""
    release = getattr(type(ctx), "release_unread", None)
    if release is not None:
        release(ctx)
    for key, value in vars(ctx).items():
        if key == "inputs":  # the Tensors it was called with, not what it saved
            continue
        for item in value if isinstance(value, (tuple, list)) else (value,):
            item = getattr(item, "_data", item)  # a torch-style Function saves Tensors
            if isinstance(item, np.ndarray) and np.may_share_memory(item, data):
                return True
    return False
