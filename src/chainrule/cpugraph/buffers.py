"""A recorded backward that writes into the gradients it no longer needs.

A hand-written NumPy loop multiplies a ReLU's mask into the gradient it was handed
(``grad *= mask``); an eager backward gives each result an array of its own, and so did a
replay. On a large MLP the extra arrays cost 1-2% of a step in memory traffic (bench/RESULTS.md,
"W4"). ``reuse_dead_buffers`` lets an elementwise call in a captured backward write into an input
gradient that no later call reads, instead of into a fresh array.

It reads what each call touches from its arguments, so it only runs on a backward made of bare
NumPy calls, whose arguments are arrays and plain values. Each array gets the same operations in
the same order, so replays stay bit-identical to eager steps.

(Moving each large parameter's optimizer update up to where its gradient is final, as the NumPy
loop also does, was tried and measured: no gain on W4, bench/RESULTS.md; it is not done.)
"""

from __future__ import annotations

import functools
import numbers
from typing import Any

import numpy as np

EVERYTHING = None  # what an opaque call touches, as far as these passes know


def root(array: np.ndarray) -> np.ndarray:
    """The array that owns the memory ``array`` looks into."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def touched(step: Any) -> set[int] | None:
    """ids of the memory a recorded call reads or writes, or EVERYTHING when it cannot tell."""
    if type(step) is not functools.partial:
        return EVERYTHING
    func = step.func
    ids: set[int] = set()
    owner = getattr(func, "__self__", None)
    if isinstance(owner, np.ndarray):  # target.__setitem__: writes the array it is bound to
        ids.add(id(root(owner)))
    elif not _plain_function(func):
        return EVERYTHING
    for value in (*step.args, *step.keywords.values()):
        if not _collect(value, ids):
            return EVERYTHING
    return ids


def _plain_function(func: Any) -> bool:
    if isinstance(func, np.ufunc) or isinstance(getattr(func, "__self__", None), np.ufunc):
        return True  # a ufunc, or one of its methods (np.add.reduce)
    module = getattr(func, "__module__", None) or ""
    closure = getattr(func, "__closure__", None)
    return closure is None and (module.startswith("numpy") or module.startswith("chainrule."))


def _collect(value: Any, ids: set[int]) -> bool:
    if isinstance(value, np.ndarray):
        ids.add(id(root(value)))
        return True
    if value is None or isinstance(value, (numbers.Number, np.generic, str, slice, np.dtype)):
        return True
    if type(value) is tuple:
        return all(_collect(item, ids) for item in value)
    return False  # a Tensor, a ctx, a list someone may change, a generator...


def reuse_dead_buffers(steps: list, slots: list, temporaries: set[int]) -> list:
    """``steps`` (one backward's bare calls) with each elementwise call that reads a gradient no
    later call touches writing its result into that gradient's array instead of a fresh one;
    later calls and ``slots`` read it from there. ``temporaries``: ids of the arrays that hold
    gradients between two nodes of this backward (no tensor sees them: not a leaf's .grad, not
    the root's). Only when every call is a bare one, whose arguments say what it touches."""
    reaches = [touched(step) for step in steps]
    if any(seen is EVERYTHING for seen in reaches):
        return steps
    steps = list(steps)
    for i, step in enumerate(steps):
        func, out = step.func, step.keywords.get("out")
        if not (
            isinstance(func, np.ufunc)
            and func.nout == 1
            and type(out) is np.ndarray
            and out.base is None
            and id(out) in temporaries
            and out.flags.c_contiguous
            and "where" not in step.keywords
            and not any(id(out) in seen for seen in reaches[:i])
        ):
            continue
        dead = [
            arg
            for arg in step.args[: func.nin]
            if type(arg) is np.ndarray
            and arg.base is None
            and arg is not out
            and id(arg) in temporaries
            and (arg.shape, arg.dtype) == (out.shape, out.dtype)
            and arg.flags.c_contiguous
            and not any(id(arg) in seen for seen in reaches[i + 1 :])
        ]
        if not dead:
            continue
        reused = dead[0]
        steps[i] = functools.partial(func, *step.args, **{**step.keywords, "out": reused})
        reaches[i] = reaches[i] - {id(out)}
        for j in range(i + 1, len(steps)):
            if id(out) in reaches[j]:
                steps[j] = _moved(steps[j], out, reused)
                reaches[j] = (reaches[j] - {id(out)}) | {id(reused)}
        for position, held in enumerate(slots):
            if held is out:
                slots[position] = reused
    return steps


def _moved(step: functools.partial, old: np.ndarray, new: np.ndarray) -> functools.partial:
    """``step`` reading ``new`` wherever it read ``old`` or a view of it (same place, same
    strides: the two arrays have one shape and one layout)."""

    def swap(value: Any) -> Any:
        if isinstance(value, np.ndarray) and root(value) is old:
            if value is old:
                return new
            offset = value.__array_interface__["data"][0] - old.__array_interface__["data"][0]
            view = np.ndarray(value.shape, value.dtype, new, offset, value.strides)
            view.flags.writeable = value.flags.writeable
            return view
        if type(value) is tuple:
            return tuple(swap(item) for item in value)
        return value

    return functools.partial(
        step.func, *(swap(a) for a in step.args), **{k: swap(v) for k, v in step.keywords.items()}
    )
