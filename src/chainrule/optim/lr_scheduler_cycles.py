"""Schedules with phases: CosineAnnealingWarmRestarts, OneCycleLR (lr and momentum) and
SequentialLR (one schedule after another), as torch.optim.lr_scheduler's."""

from __future__ import annotations

import math
from bisect import bisect_right
from typing import Any

from .._checks import fail_value
from .lr_scheduler import LRScheduler, _check_optimizer
from .lr_scheduler_chained import check_schedulers, load_nested_state_dict, nested_state_dict
from .optimizer import Optimizer


class CosineAnnealingWarmRestarts(LRScheduler):
    """Cosine annealing from base_lr to eta_min over T_i epochs, restarting with T_i *= T_mult."""

    def __init__(
        self,
        optimizer: Optimizer,
        T_0: int,  # noqa: N803
        T_mult: int = 1,  # noqa: N803
        eta_min: float = 0.0,
        last_epoch: int = -1,
    ) -> None:
        if not isinstance(T_0, int) or T_0 <= 0:
            fail_value("CosineAnnealingWarmRestarts", "an integer T_0 >= 1", repr(T_0))
        if not isinstance(T_mult, int) or T_mult < 1:
            fail_value("CosineAnnealingWarmRestarts", "an integer T_mult >= 1", repr(T_mult))
        self.T_0, self.T_i, self.T_mult, self.eta_min = T_0, T_0, T_mult, eta_min
        self.T_cur = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        cosine = 1 + math.cos(math.pi * self.T_cur / self.T_i)
        return [self.eta_min + (base - self.eta_min) * cosine / 2 for base in self.base_lrs]

    def step(self, epoch: float | None = None) -> None:
        """Without ``epoch``, one epoch on; with it (a fraction too: ``epoch + i / iters`` once
        per batch, torch's documented use), the position in the cycles that epoch falls at."""
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur, self.T_i = self.T_cur % self.T_i, self.T_i * self.T_mult
        elif epoch < 0:
            fail_value("CosineAnnealingWarmRestarts.step", "epoch >= 0", repr(epoch))
        elif epoch >= self.T_0:
            if self.T_mult == 1:
                self.T_cur = epoch % self.T_0
            else:
                n = int(math.log(epoch / self.T_0 * (self.T_mult - 1) + 1, self.T_mult))
                self.T_cur = epoch - self.T_0 * (self.T_mult**n - 1) / (self.T_mult - 1)
                self.T_i = self.T_0 * self.T_mult**n
        else:
            self.T_i, self.T_cur = self.T_0, epoch
        self.last_epoch = math.floor(epoch)
        self._set_lrs(self.get_lr)


def _anneal(strategy: str, start: float, end: float, pct: float) -> float:
    if strategy == "cos":
        return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
    return (end - start) * pct + start


class OneCycleLR(LRScheduler):
    """Smith's 1cycle: lr rises from max_lr/div_factor to max_lr over pct_start of the steps, then
    anneals to initial_lr/final_div_factor; momentum (or Adam's beta1) moves the opposite way.
    Step it after every batch, not every epoch."""

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: Any,
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: Any = 0.85,
        max_momentum: Any = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        who = "OneCycleLR"
        _check_optimizer(who, optimizer)
        if total_steps is None:
            if epochs is None or steps_per_epoch is None:
                fail_value(who, "total_steps, or epochs and steps_per_epoch", "neither")
            total_steps = epochs * steps_per_epoch
        if not isinstance(total_steps, int) or total_steps <= 0:
            fail_value(who, "a positive integer total_steps", repr(total_steps))
        if not 0 <= pct_start <= 1:
            fail_value(who, "pct_start in [0, 1]", repr(pct_start))
        if anneal_strategy not in ("cos", "linear"):
            fail_value(who, "anneal_strategy 'cos' or 'linear'", repr(anneal_strategy))
        self.total_steps, self.anneal_strategy = total_steps, anneal_strategy
        up = float(pct_start * total_steps) - 1
        phases = [(up, "initial_lr", "max_lr", "max_momentum", "base_momentum")]
        if three_phase:
            phases.append((2 * up, "max_lr", "initial_lr", "base_momentum", "max_momentum"))
        # the last phase starts where the one before ended (torch holds momentum at its maximum
        # through the third phase of three)
        phases.append((total_steps - 1, phases[-1][2], "min_lr", phases[-1][4], "max_momentum"))
        self._phases = phases
        groups = optimizer.param_groups
        for group, peak in zip(groups, self._each(who, "max_lr", max_lr, len(groups))):
            group["initial_lr"] = peak / div_factor
            group["max_lr"], group["min_lr"] = peak, peak / div_factor / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = "betas" in optimizer.defaults
            if not self.use_beta1 and "momentum" not in optimizer.defaults:
                fail_value(who, "an optimizer with momentum or betas for cycle_momentum", "neither")
            lows = self._each(who, "base_momentum", base_momentum, len(groups))
            highs = self._each(who, "max_momentum", max_momentum, len(groups))
            for group, low, high in zip(groups, lows, highs):
                group["base_momentum"], group["max_momentum"] = low, high
                self._set_momentum(group, high)
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _each(who: str, name: str, value: Any, groups: int) -> list[float]:
        values = list(value) if isinstance(value, (list, tuple)) else [value] * groups
        if len(values) != groups:
            fail_value(who, f"{groups} values of {name} (one per param group)", str(len(values)))
        return values

    def _set_momentum(self, group: dict[str, Any], value: float) -> None:
        if self.use_beta1:
            group["betas"] = (value, *group["betas"][1:])
        else:
            group["momentum"] = value

    def get_lr(self) -> list[float]:
        step = self.last_epoch
        if step > self.total_steps:
            fail_value(
                "OneCycleLR.step",
                f"at most total_steps={self.total_steps} steps",
                f"step {step}",
                "total_steps counts optimizer steps (batches): epochs * len(loader).",
            )
        start = 0.0
        for i, (end, lr_from, lr_to, m_from, m_to) in enumerate(self._phases):
            if step <= end or i == len(self._phases) - 1:
                pct = (step - start) / (end - start)
                lrs = []
                for group in self.optimizer.param_groups:
                    lrs.append(_anneal(self.anneal_strategy, group[lr_from], group[lr_to], pct))
                    if self.cycle_momentum:
                        momentum = _anneal(self.anneal_strategy, group[m_from], group[m_to], pct)
                        self._set_momentum(group, momentum)
                return lrs
            start = end
        return self._current()


class SequentialLR(LRScheduler):
    """Run ``schedulers[i]`` from ``milestones[i - 1]`` on; at its milestone a scheduler starts
    again from its epoch 0 (its closed form there), as torch's."""

    def __init__(
        self,
        optimizer: Optimizer,
        schedulers: list[LRScheduler],
        milestones: list[int],
        last_epoch: int = -1,
    ) -> None:
        _check_optimizer("SequentialLR", optimizer)
        check_schedulers("SequentialLR", schedulers, optimizer)
        if len(milestones) != len(schedulers) - 1:
            fail_value(
                "SequentialLR",
                f"{len(schedulers) - 1} milestones for {len(schedulers)} schedulers",
                str(len(milestones)),
            )
        self._schedulers, self._milestones = schedulers, milestones
        self.last_epoch, self.optimizer = last_epoch + 1, optimizer
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        _undo_initial_steps(self)  # each scheduler stepped once when built
        first = self._schedulers[bisect_right(self._milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def step(self) -> None:  # type: ignore[override]
        self.last_epoch += 1
        index = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[index]
        if index > 0 and self._milestones[index - 1] == self.last_epoch:
            scheduler._update_lr(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()

    def state_dict(self) -> dict[str, Any]:
        return nested_state_dict(self)

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        load_nested_state_dict(self, state_dict)


def _undo_initial_steps(scheduler: Any) -> None:
    for inner in getattr(scheduler, "_schedulers", ()):
        if hasattr(inner, "_schedulers"):
            _undo_initial_steps(inner)
        else:
            inner.last_epoch -= 1
