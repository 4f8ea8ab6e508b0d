"""Backward calls whose inputs never change between replays, run once at capture instead.

``loss.mean()``'s backward divides the root gradient, 1, by the element count into an array
of the input's shape: on every replay the same numbers into the same memory. When the root
gradient is the engine's own 1 (backward() given no Tensor), such a call is folded: run once
now, dropped from the replay, its result kept as a constant for the calls that read it.

Only what the capture can see completely is folded, and the check is cheap enough to pay for
itself within a hundred replays (W1's op-by-op step: one call of twenty). Every backward step
must be a bare NumPy call (a Python backward could write into its incoming gradient). A folded
call is a ufunc writing into ``out``, an array of its own that no other recorded step writes,
that the step does not store as a .grad (an optimizer or a clip may change those) and that the
forward did not make; it reads only the root, earlier folded results, and 0-d arrays of their
own (a count) that no recorded step writes and the forward did not make.
"""

from __future__ import annotations

import collections
import functools
from typing import Any

import numpy as np

from .buffers import root as memory_owner


def fold_constant_calls(
    steps: list, root: np.ndarray, forward_steps: list, made: set[int], kept: set[int]
) -> tuple[list, set[int]]:
    """``steps`` without the calls folded, and the ids of the arrays they wrote (constants now,
    which the dead-buffer reuse must leave alone). ``made``: ids of the arrays the forward
    made or read; ``kept``: ids of the arrays the step stores as gradients."""
    reads_root = any(
        type(s) is functools.partial and type(s.func) is np.ufunc and any(a is root for a in s.args)
        for s in steps
    )
    if not reads_root or not all(type(s) is functools.partial for s in steps):
        return steps, set()
    writes: collections.Counter = collections.Counter()
    for step in (*forward_steps, *steps):
        for array in _written(step):
            writes[id(array)] += 1
            if array.base is not None:  # a view's write lands in the memory's owner
                writes[id(memory_owner(array))] += 1
    constant, folded, remaining = {id(root)}, set(), []
    for step in steps:
        out = step.keywords.get("out") if type(step.func) is np.ufunc else None
        foldable = (
            type(out) is np.ndarray
            and len(step.keywords) == 1
            and out.base is None
            and writes[id(out)] == 1  # this call alone
            and id(out) not in kept
            and id(out) not in made
            and all(
                id(a) in constant
                or (a.ndim == 0 and a.base is None and not writes[id(a)] and id(a) not in made)
                for a in step.args
                if isinstance(a, np.ndarray)
            )
        )
        if foldable:
            step()
            constant.add(id(out))
            folded.add(id(out))
        else:
            remaining.append(step)
    return remaining, folded


def _written(step: Any) -> list:
    """What a recorded step may write: a ufunc's ``out`` (a reduce's 4th argument), and every
    array any other partial is handed or bound to (``out.__setitem__``)."""
    if type(step) is not functools.partial:
        return []  # a Python step of the forward: it cannot reach what backward made since
    func = step.func
    if type(func) is np.ufunc:
        candidates = [step.keywords.get("out")]
    elif (
        getattr(func, "__name__", "") == "reduce"
        and type(getattr(func, "__self__", None)) is np.ufunc
    ):
        candidates = [step.args[3] if len(step.args) > 3 else step.keywords.get("out")]
    else:
        candidates = [getattr(func, "__self__", None), *step.args, *step.keywords.values()]
    return [a for a in candidates if isinstance(a, np.ndarray)]
