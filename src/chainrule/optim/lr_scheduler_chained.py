"""ChainedScheduler: several schedulers stepped together on one optimizer (torch's): each
recursive schedule scales the lr the one before it set, so their changes compose."""

from __future__ import annotations

from typing import Any, Sequence

from .._checks import fail_value
from .lr_scheduler import LRScheduler, ReduceLROnPlateau, _SchedulerState
from .optimizer import Optimizer


def check_schedulers(who: str, schedulers: Sequence[Any], optimizer: Any) -> None:
    """torch's rules for a list of schedulers driven by another one."""
    if not schedulers:
        fail_value(who, "at least one scheduler", "none")
    for index, scheduler in enumerate(schedulers):
        if isinstance(scheduler, ReduceLROnPlateau):
            fail_value(
                who,
                "schedulers whose step() takes no arguments",
                f"ReduceLROnPlateau at index {index}",
                "step ReduceLROnPlateau by itself with the metric: scheduler.step(val_loss).",
            )
        if getattr(scheduler, "optimizer", None) is not optimizer:
            fail_value(
                who,
                "schedulers built on the same optimizer",
                f"{type(scheduler).__name__} at index {index} on another one",
            )


class ChainedScheduler(LRScheduler):
    """``step()`` steps every scheduler once, in order; e.g. a constant warm-up factor together
    with an exponential decay."""

    def __init__(
        self, schedulers: Sequence[LRScheduler], optimizer: Optimizer | None = None
    ) -> None:
        schedulers = list(schedulers)
        if optimizer is None and schedulers:
            optimizer = schedulers[0].optimizer
        check_schedulers("ChainedScheduler", schedulers, optimizer)
        self._schedulers, self.optimizer = schedulers, optimizer
        self._last_lr = self._current()

    def step(self) -> None:  # type: ignore[override]
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = self._current()

    def state_dict(self) -> dict[str, Any]:
        return nested_state_dict(self)

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        load_nested_state_dict(self, state_dict)


def nested_state_dict(scheduler: Any) -> dict[str, Any]:
    """torch's layout for a scheduler of schedulers: its own fields, and each inner one's."""
    skip = ("optimizer", "_schedulers")
    state = {k: v for k, v in scheduler.__dict__.items() if k not in skip}
    state["_schedulers"] = [s.state_dict() for s in scheduler._schedulers]
    return state


def load_nested_state_dict(scheduler: Any, state_dict: dict[str, Any]) -> None:
    state = dict(state_dict)
    saved = state.pop("_schedulers", [])
    _SchedulerState.load_state_dict(scheduler, state)
    for inner, entry in zip(scheduler._schedulers, saved):
        inner.load_state_dict(entry)
