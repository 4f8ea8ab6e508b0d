"""A recorded step, rearranged for the cache without changing one value.

A hand-written NumPy loop updates each layer's weights right after its gradient is made, while
both are still in cache, and multiplies a ReLU's mask into the gradient it was handed instead of
into a new array. An optimizer, eager or captured, updates every parameter after the whole
backward, and each backward result gets an array of its own. On a large MLP that difference is
1-3% of a step (bench/RESULTS.md, "W4"). Two passes over a capture's list of calls close it:

- ``interleave_updates`` moves each large parameter's update to just after the last call that
  reads or writes that parameter or its gradient;
- ``reuse_dead_buffers`` lets an elementwise call in a backward write into an input that no later
  call reads, instead of into a fresh array.

Both read what each call touches from its arguments, so they only look at calls whose arguments
are arrays and plain values (a bare NumPy call); anything else is a wall nothing moves across.
Order changes only between calls that share no memory, so each array gets the same operations in
the same order and the results stay bit-identical.
"""

from __future__ import annotations

import functools
import numbers
from typing import Any

import numpy as np

# A parameter smaller than this is updated where the optimizer steps: in cache either way, and
# tiny models (the notebook's) keep one update call per step.
CACHE_WORTHY_BYTES = 256 * 1024
EVERYTHING = None  # what an opaque call touches, as far as these passes know


def root(array: np.ndarray) -> np.ndarray:
    """The array that owns the memory ``array`` looks into."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def touched(step: Any) -> set[int] | None:
    """ids of the memory a recorded call reads or writes, or EVERYTHING when it cannot tell."""
    if isinstance(step, UpdateOne):
        return {id(root(step.param._data)), id(root(step.grad))}
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


class UpdateOne:
    """One parameter's optimizer update, moved to where its gradient is final. It reads the
    group's settings and the state when it runs, as the optimizer's own step does (schedulers
    and cleared states take effect)."""

    __slots__ = ("optimizer", "param", "grad", "group")

    def __init__(self, optimizer: Any, param: Any, grad: np.ndarray, group: dict) -> None:
        self.optimizer, self.param, self.grad, self.group = optimizer, param, grad, group

    def __call__(self) -> None:
        self.optimizer._update_param(self.param, self.grad, self.group)


class UpdateRest:
    """The optimizer's step for the parameters that were not moved."""

    __slots__ = ("optimizer", "moved")

    def __init__(self, optimizer: Any, moved: frozenset[int]) -> None:
        self.optimizer, self.moved = optimizer, moved

    def __call__(self) -> None:
        self.optimizer._update_all(self.moved)


def layout(optimizer: Any) -> list:
    """What must not change between capture and replay for moved updates to stay right: the
    groups and the parameters in them, by identity."""
    return [(id(group), [id(p) for p in group["params"]]) for group in optimizer.param_groups]


def interleave_updates(steps: list, stores_of: dict[int, np.ndarray]) -> tuple[list, list]:
    """``steps`` with each large parameter's update moved up to just after the last call that
    touches the parameter or its gradient (``stores_of``: id(tensor) -> the array a backward
    stores its gradient in). Returns the new list and the optimizers whose updates moved."""
    from ..optim.optimizer import Optimizer

    steps, moved_optimizers = list(steps), []
    k = 0
    while k < len(steps):
        step = steps[k]
        optimizer = getattr(step, "__self__", None)
        if not (
            isinstance(optimizer, Optimizer)
            and getattr(step, "__func__", None) is Optimizer._update_all
            and type(optimizer)._update_all is Optimizer._update_all
        ):
            k += 1
            continue
        places: dict[int, list[UpdateOne]] = {}
        for group in optimizer.param_groups:
            for param in group["params"]:
                grad = stores_of.get(id(param))
                if (
                    grad is None
                    or param._grad is not grad
                    or param._data.nbytes < CACHE_WORTHY_BYTES
                ):
                    continue
                mine = {id(root(param._data)), id(root(grad))}
                last = k - 1
                while last >= 0:
                    seen = touched(steps[last])
                    if seen is EVERYTHING and not _stores_only(steps[last], param, grad):
                        break
                    if seen is not EVERYTHING and seen & mine:
                        break
                    last -= 1
                if last < 0 or last == k - 1:
                    continue
                places.setdefault(last, []).append(UpdateOne(optimizer, param, grad, group))
        if not places:
            k += 1
            continue
        moved = frozenset(id(u.param) for ups in places.values() for u in ups)
        rebuilt = []
        for i, item in enumerate(steps[:k]):
            rebuilt.append(item)
            rebuilt += places.get(i, [])
        steps = rebuilt + [UpdateRest(optimizer, moved)] + steps[k + 1 :]
        moved_optimizers.append(optimizer)
        k = len(rebuilt) + 1
    return steps, moved_optimizers


def _stores_only(step: Any, param: Any, grad: np.ndarray) -> bool:
    """Whether ``step`` is a backward's stores and, for ``param``, only hands over the gradient
    that was computed in place (no copy into it, no sum): the update need not wait for it."""
    from .backward import Stores

    if not isinstance(step, Stores):
        return False
    for tensor, array, accumulate, slot in step.stores:
        if tensor is param and (accumulate or array is not grad or step.slots[slot] is not grad):
            return False
    return True


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
