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
    if type(owner) is np.ndarray:  # target.__setitem__: writes the array it is bound to
        ids.add(id(root(owner)))
    elif not _plain_function(func):
        return EVERYTHING
    for value in (*step.args, *step.keywords.values()):
        if type(value) is np.ndarray:  # the common argument, first
            ids.add(id(value) if value.base is None else id(root(value)))
        elif not _collect(value, ids):
            return EVERYTHING
    return ids


def _plain_function(func: Any) -> bool:
    if type(func) is np.ufunc or type(getattr(func, "__self__", None)) is np.ufunc:
        return True  # a ufunc, or one of its methods (np.add.reduce)
    module = getattr(func, "__module__", None) or ""
    closure = getattr(func, "__closure__", None)
    return closure is None and (module.startswith("numpy") or module.startswith("chainrule."))


_PLAIN = (type(None), int, float, bool, str, slice, np.dtype)


def _collect(value: Any, ids: set[int]) -> bool:
    if isinstance(value, np.ndarray):
        ids.add(id(root(value)))
        return True
    if type(value) in _PLAIN or isinstance(value, (numbers.Number, np.generic, str, np.dtype)):
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
    if not any(_candidate(step, temporaries) for step in steps):
        return steps  # (the common small backward: capture pays one pass, not the analysis)
    reaches = [touched(step) for step in steps]
    if any(seen is EVERYTHING for seen in reaches):
        return steps
    first: dict[int, int] = {}  # array id -> the first and the last call that touches it
    last: dict[int, int] = {}
    for i, seen in enumerate(reaches):
        for key in seen:
            first.setdefault(key, i)
            last[key] = i
    steps = list(steps)
    for i, step in enumerate(steps):
        if not _candidate(step, temporaries):
            continue
        func, out = step.func, step.keywords["out"]
        if not (
            func.nout == 1
            and out.base is None
            and out.flags.c_contiguous
            and "where" not in step.keywords
            and first[id(out)] == i
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
            and last[id(arg)] == i
        ]
        if not dead:
            continue
        reused = dead[0]
        steps[i] = functools.partial(func, *step.args, **{**step.keywords, "out": reused})
        for j in range(i + 1, last[id(out)] + 1):
            if id(out) in reaches[j]:
                steps[j] = _moved(steps[j], out, reused)
                reaches[j] = (reaches[j] - {id(out)}) | {id(reused)}
        last[id(reused)] = last[id(out)]
        for position, held in enumerate(slots):
            if held is out:
                slots[position] = reused
    return steps


# Below this a fresh array is in cache anyway, and the analysis would cost a small step's
# capture more than its replays save (W1 op by op: +2.7% of a 100-step run, by callgrind).
WORTH_REUSING_BYTES = 1 << 16


def _candidate(step: Any, temporaries: set[int]) -> bool:
    """A ufunc call writing a large gradient between nodes, from one such gradient."""
    if type(step) is not functools.partial or not isinstance(step.func, np.ufunc):
        return False
    out = step.keywords.get("out")
    return (
        type(out) is np.ndarray
        and id(out) in temporaries
        and out.nbytes >= WORTH_REUSING_BYTES
        and any(type(arg) is np.ndarray and id(arg) in temporaries for arg in step.args)
    )


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
