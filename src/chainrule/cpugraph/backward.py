"""A captured backward pass: the engine's schedule written down once, replayed without it."""

from __future__ import annotations

import collections
import functools
import inspect
import weakref
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from ..autograd.function import broadcast_axes, quietly
from ..errors import GraphError
from .buffers import reuse_dead_buffers
from .constants import fold_constant_calls

if TYPE_CHECKING:
    from .capture import CPUGraph


@functools.cache
def writes_into(fn: Callable[..., Any]) -> bool:
    """Whether a forward or backward takes ``into``, the array a replay wants its result in."""
    return "into" in inspect.signature(fn).parameters


class BackwardRecorder:
    """The engine's schedule, written down as it runs: slot numbers stand for the entries of
    its gradient table (slot 0 the root), so a replay needs no table, heap or Tensor."""

    def __init__(self, graph_: CPUGraph, root_key: int, given: Any) -> None:
        self.graph, self.slot, self.plan, self.saved = graph_, {root_key: 0}, [], []
        self.given = given

    def node(self, ctx: Any, key: int, grads_in: tuple) -> None:
        """Where ctx.backward reads its gradient and where each result flows: into a fresh
        slot the first time a node receives one, added to it afterwards."""
        if ctx.seq < self.graph.first_seq:
            raise GraphError(
                f"backward: expected a graph built inside the CPUGraph capture, got a "
                f"{type(ctx).__name__} recorded before it began, so a replay would run backward "
                f"through that one forward again and again.\nHint: run the forward inside "
                f"`with chainrule.graph(g):` too."
            )
        flows = []
        for position, (parent, grad) in enumerate(zip(ctx.inputs, grads_in)):
            if grad is None or parent is None or not parent._rg:
                continue
            first = id(parent) not in self.slot
            flows.append((position, self.slot.setdefault(id(parent), len(self.slot)), first))
        self.plan.append((ctx, ctx.backward, self.slot[key], flows, grads_in))
        saved = dict(ctx.__dict__)  # for ops whose replay skips forward; the versions stay
        saved.pop("versions", None)  # the engine's FREED mark, so an eager pass still refuses
        self.saved.append((ctx, saved))

    def finish(self, root_grad: np.ndarray, finished: list, store_all: Callable) -> None:
        """Store the gradients as eager does, then record into which arrays they went."""
        for ctx, saved in self.saved:  # what the engine emptied after backward; its versions
            ctx.__dict__.update(saved)  # stay FREED, so an eager pass still refuses, while a
            # replayed backward reads its ctx
        accumulate = [tensor._grad is not None for tensor, _ in finished]
        store_all(finished)
        stores = [
            (tensor, tensor._grad, adds, self.slot[id(tensor)])
            for (tensor, _), adds in zip(finished, accumulate)
        ]
        self._hand_over(stores)
        # the replay's own root: eager's may now be a leaf's .grad, which the step may edit
        root, steps = root_grad.copy(), []
        given_tensor = isinstance(getattr(self.given, "_data", None), np.ndarray)
        if given_tensor:
            # a gradient given as a Tensor is read again at each replay, and its memory is
            # checked like a static input's (a NumPy array or a number is a constant)
            given = self.given._data
            self.graph._statics.setdefault(id(given), (weakref.ref(self.given), given))
            steps.append(functools.partial(root.__setitem__, Ellipsis, given))
        steps += replay_steps(self.plan, root, stores, self.graph, not given_tensor)
        self.graph.backward(steps, stores)

    def _hand_over(self, stores: list) -> None:
        """A leaf's .grad set afresh from one flow alone becomes that backward's ``into``
        array, so a replay computes the gradient where it is kept (Linear's weight and bias)."""
        flows_into = collections.Counter(slot for *_, flows, _ in self.plan for _, slot, _ in flows)
        once = {s for s, n in flows_into.items() if n == 1} - {p[2] for p in self.plan}
        kept = {slot: array for _, array, adds, slot in stores if not adds and slot in once}
        for i, (ctx, backward, source, flows, eager) in enumerate(self.plan):
            into = [None] * len(ctx.needs_input_grad)
            for position, slot, _ in flows:
                into[position] = kept.get(slot)
            if any(a is not None for a in into) and writes_into(backward):
                backward = functools.partial(backward, into=tuple(into))
                self.plan[i] = (ctx, backward, source, flows, eager)


def replay_steps(
    plan: list, root_grad: np.ndarray, stores: list, graph_: CPUGraph, root_constant: bool
) -> list[Callable[[], Any]]:
    """The backward pass as steps for the replay's flat list.

    A slot is *static* while one array holds it on every replay: the root gradient, and what
    a Function's ``replay_backward`` computes (bare NumPy calls into arrays fixed at capture).
    A node is replaced by those calls when its incoming gradient is static and its forward
    was replayed bare too (so what its ctx saved stays in the same arrays; a Python forward
    may save new ones each replay). Any other node runs its backward in Python, and its
    results are *dynamic*, kept in ``slots`` between steps. Sums of two paths are the
    engine's, in its order. Calls that would compute the same numbers on every replay are
    run once now (constants.py), when the root gradient is ``root_constant``.
    """
    bare_forwards = graph_._bare
    slots: list = [None] * (
        1 + max([s for *_, fl, _ in plan for _, s, _ in fl] + [s for *_, s in stores] + [0])
    )
    slots[0] = root_grad
    static = {0: root_grad}
    steps: list = []
    between: set[int] = set()  # arrays that carry a gradient from one bare node to the next
    for ctx, backward, source, flows, eager in plan:
        form = type(ctx).replay_backward
        if form is None or source not in static or ctx not in bare_forwards:
            bare = None
        else:
            bare = form(ctx, static[source], eager)
        if bare is None:  # Python: each flow's earlier value is static (an array) or in slots
            flows = [(p, s, None if first else static.pop(s, _IN_SLOTS)) for p, s, first in flows]
            for _, s, _ in flows:
                static.pop(s, None)
            steps.append(_PythonNode(slots, ctx, backward, source, flows))
            continue
        calls, outs = bare
        steps += calls
        for position, slot, first in flows:
            grad = outs[position]
            between.add(id(grad))
            if first:
                static[slot] = slots[slot] = grad
            elif slot in static:
                earlier = static[slot]
                total = np.empty(earlier.shape, np.result_type(earlier, grad))
                steps.append(functools.partial(np.add, earlier, grad, out=total))
                static[slot] = slots[slot] = total
                between.add(id(total))
            else:
                steps.append(functools.partial(_add_to_slot, slots, slot, grad))
    kept = {id(root_grad)} | {id(slots[s]) for *_, s in stores} | {id(a) for _, a, _, _ in stores}
    if root_constant:
        made = graph_._produced | graph_._statics.keys()
        steps, folded = fold_constant_calls(steps, root_grad, graph_._steps, made, kept)
        kept |= folded
    steps = reuse_dead_buffers(steps, slots, between - kept)
    steps.append(Stores(slots, stores))
    return steps


_IN_SLOTS = object()  # a flow's earlier value is whatever the slot holds this replay


def _add_to_slot(slots: list, slot: int, grad: np.ndarray) -> None:
    slots[slot] = slots[slot] + grad


class _PythonNode:
    """One ctx.backward as the engine calls it, its results flowing into ``slots``."""

    __slots__ = ("slots", "ctx", "backward", "source", "flows")

    def __init__(self, slots: list, ctx: Any, backward: Any, source: int, flows: list) -> None:
        self.slots, self.ctx, self.backward, self.source, self.flows = (
            slots,
            ctx,
            backward,
            source,
            flows,
        )

    def __call__(self) -> None:
        slots = self.slots
        try:
            grads = self.backward(self.ctx, slots[self.source])
        except RuntimeWarning:  # under warnings-as-errors, as the engine: function.quietly
            grads = quietly(self.backward, self.ctx, slots[self.source])
        if type(grads) is not tuple:
            grads = (grads,)
        for position, slot, earlier in self.flows:
            grad = grads[position]
            if earlier is None:
                slots[slot] = grad
            else:
                slots[slot] = (slots[slot] if earlier is _IN_SLOTS else earlier) + grad


class Stores:
    """Each leaf gradient copied (or added) into its .grad, unless it was computed there."""

    __slots__ = ("slots", "stores")

    def __init__(self, slots: list, stores: list) -> None:
        self.slots, self.stores = slots, stores

    def __call__(self) -> None:
        slots = self.slots
        for tensor, array, accumulate, slot in self.stores:
            grad = slots[slot]
            if accumulate:  # as store_all: add to the .grad there is now, or start one
                current = tensor._grad
                if current is not None:
                    current += grad
                    continue
                array[...] = grad
                tensor._grad = array
            else:
                if grad is not array:
                    array[...] = grad
                tensor._grad = array  # a zero_grad() between replays set it to None


def fresh(like: Any) -> np.ndarray:
    """Where a ``replay_backward`` writes a gradient: the array eager backward returned at
    capture when it is a result of its own (nothing else reads it), else a new one like it."""
    if type(like) is np.ndarray and like.flags.owndata and like.flags.writeable:
        return like
    return np.empty_like(np.asarray(like))


def summed(full: np.ndarray, shape: tuple, like: Any) -> tuple[list, np.ndarray]:
    """arithmetic's ``_down_to(full, shape)`` as bare calls, and the array that holds the result
    after them (the same reduction, so the same bits; ``like`` is what eager returned)."""
    if full.shape == shape:
        return [], full
    axes = broadcast_axes(full.shape, shape)
    out = fresh(like)
    if not shape:
        return [functools.partial(np.add.reduce, full, None, None, out)], out
    kept = out.reshape(tuple(1 if i in axes else n for i, n in enumerate(full.shape)))
    return [functools.partial(np.add.reduce, full, axes, None, kept, True)], out
