"""ChainedScheduler: several schedules applied at once, their factors multiplied (torch's)."""

from __future__ import annotations

from typing import Any, Sequence

from .._checks import fail_value
from .lr_scheduler import ExponentialLR, LRScheduler, StepLR, _SchedulerState
from .lr_scheduler_factors import ConstantLR, LinearLR, MultiStepLR, PolynomialLR
from .optimizer import Optimizer

# Schedules whose lr is base_lr times a factor of the epoch: chaining multiplies the factors,
# which is what torch's recursive forms give. A cosine or a lambda schedule sets the lr rather
# than scaling it, and torch's chained result then depends on the order of the steps: refused.
_SCALING = (StepLR, MultiStepLR, ExponentialLR, ConstantLR, LinearLR, PolynomialLR)


class ChainedScheduler(_SchedulerState):
    """lr = base_lr * factor_1(epoch) * factor_2(epoch) * ..., e.g. a constant warm-up factor
    together with an exponential decay; ``step()`` steps every scheduler once."""

    def __init__(
        self, schedulers: Sequence[LRScheduler], optimizer: Optimizer | None = None
    ) -> None:
        schedulers = list(schedulers)
        if not schedulers:
            fail_value("ChainedScheduler", "at least one scheduler", "none")
        optimizer = schedulers[0].optimizer if optimizer is None else optimizer
        if any(getattr(s, "optimizer", None) is not optimizer for s in schedulers):
            fail_value("ChainedScheduler", "schedulers built on the same optimizer", "another one")
        odd = [type(s).__name__ for s in schedulers if not isinstance(s, _SCALING)]
        if odd:
            fail_value(
                "ChainedScheduler",
                "schedulers that scale the lr by a factor (StepLR, MultiStepLR, ExponentialLR, "
                "ConstantLR, LinearLR, PolynomialLR)",
                ", ".join(odd),
                "use SequentialLR to run a cosine or lambda schedule after another one.",
            )
        self.optimizer, self._schedulers = optimizer, schedulers
        self._apply()

    def _apply(self) -> None:
        for index, group in enumerate(self.optimizer.param_groups):
            lr = self._schedulers[0].base_lrs[index]
            for scheduler in self._schedulers:
                lr *= scheduler.lr_at(1.0, scheduler.last_epoch)
            group["lr"] = lr

    def step(self) -> None:
        for scheduler in self._schedulers:
            scheduler.last_epoch += 1
        self._apply()

    def state_dict(self) -> dict[str, Any]:
        return {"_schedulers": [s.state_dict() for s in self._schedulers]}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        for scheduler, saved in zip(self._schedulers, state_dict["_schedulers"]):
            scheduler.load_state_dict(saved)
