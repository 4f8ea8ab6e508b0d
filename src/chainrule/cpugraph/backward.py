"""A captured backward pass: the engine's schedule written down once, replayed without it."""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

if TYPE_CHECKING:
    from .capture import CPUGraph


@functools.cache
def writes_into(fn: Callable[..., Any]) -> bool:
    """Whether a forward or backward takes ``into``, the array a replay wants its result in."""
    return "into" in inspect.signature(fn).parameters


class BackwardRecorder:
    """The engine's schedule, written down as it runs: slot numbers stand for the entries of
    its gradient table (slot 0 the root), so a replay needs no table, heap or Tensor."""

    def __init__(self, graph_: CPUGraph, root_key: int) -> None:
        self.graph, self.slot, self.plan, self.saved = graph_, {root_key: 0}, [], []

    def node(self, ctx: Any, key: int, grads_in: tuple) -> None:
        """Where ctx.backward reads its gradient and where each result flows: into a fresh
        slot the first time a node receives one, added to it afterwards."""
        flows = []
        for position, (parent, grad) in enumerate(zip(ctx.inputs, grads_in)):
            if grad is None or parent is None or not parent.requires_grad:
                continue
            first = id(parent) not in self.slot
            flows.append((position, self.slot.setdefault(id(parent), len(self.slot)), first))
        self.plan.append((ctx, ctx.backward, self.slot[key], flows))
        self.saved.append((ctx, dict(ctx.__dict__)))  # for ops whose replay skips forward

    def finish(self, root_grad: np.ndarray, finished: list, store_all: Callable) -> None:
        """Store the gradients as eager does, then record into which arrays they went."""
        for ctx, saved in self.saved:  # what release() dropped; `freed` stays set
            ctx.__dict__.update(saved)
        accumulate = [tensor._grad is not None for tensor, _ in finished]
        store_all(finished)
        stores = [
            (tensor, tensor._grad, adds, self.slot[id(tensor)])
            for (tensor, _), adds in zip(finished, accumulate)
        ]
        self._hand_over(stores)
        self.graph.backward(self.plan, root_grad, stores)

    def _hand_over(self, stores: list) -> None:
        """A leaf's .grad set afresh from one flow alone becomes that backward's ``into``
        array, so a replay computes the gradient where it is kept (Linear's weight and bias)."""
        flows_into = [slot for *_, flows in self.plan for _, slot, _ in flows]
        once = {s for s in flows_into if flows_into.count(s) == 1} - {s for _, _, s, _ in self.plan}
        kept = {slot: array for _, array, adds, slot in stores if not adds and slot in once}
        for i, (ctx, backward, source, flows) in enumerate(self.plan):
            into = [None] * len(ctx.needs_input_grad)
            for position, slot, _ in flows:
                into[position] = kept.get(slot)
            if any(a is not None for a in into) and writes_into(backward):
                self.plan[i] = (ctx, functools.partial(backward, into=tuple(into)), source, flows)


class BackwardReplay:
    """The engine's backward pass without the engine: each recorded ctx.backward in order,
    the same sums in the same order, then each leaf gradient copied (or added) into place
    unless its backward wrote it there."""

    __slots__ = ("plan", "root_grad", "stores", "slots")

    def __init__(self, plan: list, root_grad: np.ndarray, stores: list) -> None:
        self.plan, self.root_grad, self.stores = plan, root_grad, stores
        self.slots = 1 + max(
            [s for _, _, _, flows in plan for _, s, _ in flows] + [s for _, _, _, s in stores] + [0]
        )

    def __call__(self) -> None:
        slots: list = [None] * self.slots
        slots[0] = self.root_grad
        for ctx, backward, source, flows in self.plan:
            grads = backward(ctx, slots[source])
            if type(grads) is not tuple:
                grads = (grads,)
            for position, slot, first in flows:
                slots[slot] = grads[position] if first else slots[slot] + grads[position]
        for tensor, array, accumulate, slot in self.stores:
            grad = slots[slot]
            if accumulate:
                array += grad
            else:
                if grad is not array:
                    array[...] = grad
                tensor._grad = array  # a zero_grad() between replays set it to None
