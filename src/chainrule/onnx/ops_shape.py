"""Converters for the shape Functions a trace meets: reshape, permute, indexing, cat, stack,
expand, repeat, pad and embedding lookups.

A trace sees sizes as numbers: ``x.view(x.size(0), -1)`` arrives as ``shape=(5, -1)`` for a
batch of 5. Where a target size equals the input's size on the same axis, Reshape writes 0
(copy that axis's run-time size) and Expand writes 1 (keep it); of the sizes left, one becomes
-1: the only one, else the one that equals (or is a multiple of) a dynamic axis's example
size, as attention's (T, B, E) -> (T, B * heads, E / heads). So a dynamic batch stays dynamic
when the example's batch size differs from the model's other sizes; export.py's second-input
check catches what this cannot recover.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ExportError
from .graph import GraphBuilder, op_converter

_END = np.iinfo(np.int64).max


@op_converter("Reshape")
def reshape(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: np.ndarray) -> str:
    x = arrays[0]
    target = [
        0 if i < x.ndim and size == x.shape[i] and size != 0 else int(size)
        for i, size in enumerate(out.shape)
    ]
    free = [i for i, size in enumerate(target) if size != 0]
    suffix = 0  # trailing sizes shared with the input ((B, H, T, D) -> (B*H, T, D)) stay fixed
    while suffix < min(x.ndim, out.ndim) and x.shape[-1 - suffix] == out.shape[-1 - suffix]:
        suffix += 1
    middle = [i for i in free if i < out.ndim - suffix] or free
    if len(middle) > 1:  # several: the one the size of a dynamic axis, or a multiple of one
        middle = (
            [i for i in middle if out.shape[i] in graph.dynamic]
            or [i for i in middle if any(d > 1 and out.shape[i] % d == 0 for d in graph.dynamic)]
            or middle
        )
    if len(middle) == 1:  # the one size not copied is whatever the rest leaves: -1
        target[middle[0]] = -1
    shape = graph.ints(target, f"{graph.scope}/shape")
    return graph.node("Reshape", [graph.value(x), shape], graph.scope)


@op_converter("Permute")
def permute(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: np.ndarray) -> str:
    perm = [int(d) % max(arrays[0].ndim, 1) for d in config["dims"]]
    return graph.node("Transpose", [graph.value(arrays[0])], graph.scope, perm=perm)


@op_converter("Concatenate")
def concatenate(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    names = [graph.value(a) for a in arrays]
    return graph.node("Concat", names, graph.scope, axis=int(config["axis"]) % out.ndim)


@op_converter("Stack")
def stack(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    axis = int(config["axis"]) % out.ndim
    where = graph.ints([axis], f"{graph.scope}/axis")
    names = [
        graph.node("Unsqueeze", [graph.value(a), where], f"{graph.scope}/item") for a in arrays
    ]
    return graph.node("Concat", names, graph.scope, axis=axis)


@op_converter("Expand")
def expand(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: np.ndarray) -> str:
    """ONNX Expand broadcasts both ways: 1 keeps an axis's own (run-time) size."""
    x = arrays[0]
    offset = out.ndim - x.ndim
    target = [
        1 if i >= offset and x.shape[i - offset] == size else int(size)
        for i, size in enumerate(out.shape)
    ]
    shape = graph.ints(target, f"{graph.scope}/shape")
    return graph.node("Expand", [graph.value(x), shape], graph.scope)


@op_converter("Repeat")
def repeat(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: np.ndarray) -> str:
    x, reps = arrays[0], [int(r) for r in config["reps"]]
    name = graph.value(x)
    if len(reps) > x.ndim:  # torch's repeat adds leading axes first
        extra = list(range(len(reps) - x.ndim))
        name = graph.node(
            "Unsqueeze", [name, graph.ints(extra, f"{graph.scope}/lead")], f"{graph.scope}/lead"
        )
    return graph.node("Tile", [name, graph.ints(reps, f"{graph.scope}/reps")], graph.scope)


@op_converter("Pad")
def pad(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: np.ndarray) -> str:
    """Every pad mode is an index map per axis (padding.py): a Gather per padded axis, and the
    constant where the map reads -1. The padded axes keep fixed sizes; the batch may vary."""
    y = graph.value(arrays[0])
    for axis, index in config["maps"]:
        index = np.asarray(index)
        taken = graph.node(
            "Gather",
            [y, graph.ints(np.maximum(index, 0), f"{graph.scope}/index")],
            f"{graph.scope}/take",
            axis=int(axis),
        )
        y = taken
        if (index < 0).any():
            shape = [1] * out.ndim
            shape[axis] = index.size
            outside = graph.weight((index < 0).reshape(shape), f"{graph.scope}/outside")
            value = graph.constant(config["value"], out.dtype, f"{graph.scope}/value")
            y = graph.node("Where", [outside, value, taken], f"{graph.scope}/fill")
    return y


@op_converter("Embedding")
def embedding(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    weight, indices = graph.value(arrays[0]), graph.value(arrays[1])
    return graph.node("Gather", [weight, indices], graph.scope, axis=0)


@op_converter("GetItem")
def getitem(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: np.ndarray) -> str:
    """Basic indexing (ints, slices, None, ...) and one integer array: Slice, then Gather for
    each int (from the last axis down, so the axes below keep their numbers), then Unsqueeze."""
    x, scope = arrays[0], graph.scope
    index = config["index"]
    index = list(index) if isinstance(index, tuple) else [index]
    if sum(1 for i in index if i is Ellipsis) > 1:
        raise _refuse(scope, "more than one Ellipsis")
    used = sum(1 for i in index if i is not None and i is not Ellipsis)
    if any(i is Ellipsis for i in index):
        at = next(n for n, i in enumerate(index) if i is Ellipsis)
        index[at : at + 1] = [slice(None)] * (x.ndim - used)
    index += [slice(None)] * (x.ndim - sum(1 for i in index if i is not None))
    slices, ints, arrays_at, news = [], [], [], []
    axis = position = 0
    for item in index:
        if item is None:
            news.append(position)
            position += 1
            continue
        if isinstance(item, slice):
            if item != slice(None):
                slices.append((axis, item))
            position += 1
        elif isinstance(item, (int, np.integer)):
            ints.append((axis, int(item)))
        elif isinstance(item, np.ndarray) and item.dtype.kind in "iu" and item.ndim <= 1:
            arrays_at.append((axis, item))
            position += 1
        else:
            raise _refuse(scope, f"an index of {type(item).__name__} {getattr(item, 'dtype', '')}")
        axis += 1
    if len(arrays_at) > 1 or (arrays_at and news):
        raise _refuse(scope, "more than one integer-array index, or one beside None")
    y = graph.value(x)
    if slices:
        steps = [1 if s.step is None else int(s.step) for _, s in slices]
        starts = [
            (0 if step > 0 else -1) if s.start is None else int(s.start)
            for (_, s), step in zip(slices, steps)
        ]
        ends = [
            (_END if step > 0 else -_END - 1) if s.stop is None else int(s.stop)
            for (_, s), step in zip(slices, steps)
        ]
        bounds = [
            graph.ints(starts, f"{scope}/starts"),
            graph.ints(ends, f"{scope}/ends"),
            graph.ints([a for a, _ in slices], f"{scope}/axes"),
            graph.ints(steps, f"{scope}/steps"),
        ]
        y = graph.node("Slice", [y, *bounds], f"{scope}/slice")
    for axis_, value in sorted(ints, reverse=True):
        y = graph.node(
            "Gather",
            [y, graph.constant(value, np.int64, f"{scope}/at")],
            f"{scope}/pick",
            axis=axis_,
        )
    for axis_, chosen in arrays_at:
        below = sum(1 for a, _ in ints if a < axis_)
        y = graph.node(
            "Gather",
            [y, graph.value(chosen.astype(np.int64), f"{scope}/indices")],
            f"{scope}/take",
            axis=axis_ - below,
        )
    if news:
        y = graph.node("Unsqueeze", [y, graph.ints(news, f"{scope}/new")], f"{scope}/new")
    return graph.node("Identity", [y], scope)


def _refuse(scope: str, what: str) -> ExportError:
    return ExportError(
        f"onnx.export({scope}): expected basic indexing (ints, slices, None, ..., one integer "
        f"array), got {what}.\nHint: use index_select or gather-free slicing in the forward."
    )
