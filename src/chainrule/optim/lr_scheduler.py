"""Learning-rate schedules, torch.optim.lr_scheduler's: StepLR, ExponentialLR,
CosineAnnealingLR and ReduceLROnPlateau. Call ``scheduler.step()`` after ``optimizer.step()``.

Each step works as torch's: the scaling schedules multiply the group's *current* lr (torch's
recursive forms), so two schedulers stepped on one optimizer compose, and an lr changed by hand
carries on; ``step(epoch)`` (deprecated in torch) jumps with the closed form where there is one.
"""

from __future__ import annotations

import functools
import math
import warnings
from typing import Any

from .._checks import fail_value
from ..autograd.grad_mode import _Mode
from ..cpugraph.capture import record_call
from ..errors import GraphError, MissingNameError
from .hyperparameters import check_hyperparameters
from .optimizer import Optimizer


def _check_optimizer(who: str, optimizer: Any) -> None:
    if _Mode.capture is not None:
        raise GraphError(
            f"{who}: expected a scheduler made before the CPUGraph capture, got one made inside "
            f"it: an eager step would make it anew each time, a replay does not.\nHint: make "
            f"the scheduler once, before `with chainrule.graph(g):`, and step it inside or "
            f"between replays."
        )
    if not isinstance(optimizer, Optimizer):
        fail_value(
            who,
            "an Optimizer (such as optim.SGD(model.parameters(), lr=0.1))",
            type(optimizer).__name__,
        )


class _SchedulerState:
    """What every scheduler shares: reading the current rates and saving its own state."""

    optimizer: Optimizer

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__:
            cls.step = _replayed(cls.__dict__["step"])
        if "get_lr" in cls.__dict__:
            cls.get_lr = _noted(cls.__dict__["get_lr"])

    def get_last_lr(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        who = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, dict):
            raise TypeError(
                f"{who}: expected a dict (from scheduler.state_dict()), got "
                f"{type(state_dict).__name__}."
            )
        check_hyperparameters(who, state_dict)
        self.__dict__.update(state_dict)


def _noted(get_lr: Any) -> Any:
    """torch's notice for get_lr() called from outside step(): get_last_lr() is the reading."""

    @functools.wraps(get_lr)
    def checked(self: Any) -> list[float]:
        if not self._get_lr_called_within_step:
            warnings.warn(
                "To get the last learning rate computed by the scheduler, please use "
                "`get_last_lr()`.",
                UserWarning,
                stacklevel=2,
            )
        return get_lr(self)

    return checked


_stepping = [False]  # a scheduler's step() is being recorded (SequentialLR steps others)


def _replayed(step: Any) -> Any:
    """``scheduler.step()`` inside a CPUGraph capture runs on every replay too, as it would on
    every eager step; a scheduler that another one steps is recorded through that one."""

    @functools.wraps(step)
    def recorded(self: Any, *args: Any) -> None:
        if _Mode.capture is None or _stepping[0]:
            return step(self, *args)
        _stepping[0] = True
        try:
            return record_call(step, self, *args)
        finally:
            _stepping[0] = False

    return recorded


_EPOCH_DEPRECATION = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where "
    "possible. Please use `scheduler.step()` to step the scheduler. During the deprecation, if "
    "epoch is different from None, the closed form is used instead of the new chainable form, "
    "where available. Please open an issue if you are unable to replicate your use case: "
    "https://github.com/pytorch/pytorch/issues/new/choose."
)


class LRScheduler(_SchedulerState):
    """torch's LRScheduler: ``step()`` counts the epoch and sets each group's lr to ``get_lr()``;
    a subclass gives get_lr (or ``lr_at(base_lr, epoch)``, a closed form of the epoch)."""

    _get_lr_called_within_step = False
    _is_initial = False

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        who = type(self).__name__
        _check_optimizer(who, optimizer)
        check_hyperparameters(who, {"last_epoch": last_epoch})
        self.optimizer = optimizer
        for i, group in enumerate(optimizer.param_groups):
            if last_epoch == -1:
                group.setdefault("initial_lr", group["lr"])
            elif "initial_lr" not in group:  # torch's rule: resuming needs the saved optimizer
                raise MissingNameError(
                    f"{who}: expected param_groups[{i}] to hold 'initial_lr' when resuming with "
                    f"last_epoch={last_epoch}, got none.\nHint: load the optimizer's state_dict "
                    f"before building the scheduler, or leave last_epoch at -1 for a new run."
                )
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._initial_step()

    def _initial_step(self) -> None:
        self._step_count = 0
        before, self._is_initial = self._is_initial, True
        try:
            self.step()
        finally:
            self._is_initial = before

    def get_last_lr(self) -> list[float]:
        return list(self._last_lr)

    def get_lr(self) -> list[float]:
        return [self.lr_at(base, self.last_epoch) for base in self.base_lrs]

    def lr_at(self, base_lr: float, epoch: int) -> float:
        raise NotImplementedError(f"{type(self).__name__}: expected get_lr or lr_at, got neither.")

    def step(self, epoch: int | None = None) -> None:
        self._step_count += 1
        if epoch is not None:
            warnings.warn(_EPOCH_DEPRECATION, UserWarning, stacklevel=2)
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        if epoch is None:
            self.last_epoch += 1
            self._set_lrs(self.get_lr)
        else:
            self.last_epoch = epoch
            self._set_lrs(getattr(self, "_get_closed_form_lr", self.get_lr))

    def _set_lrs(self, compute: Any) -> None:
        """Each group's lr from ``compute()`` (called as from inside step: no get_lr notice)."""
        before, self._get_lr_called_within_step = self._get_lr_called_within_step, True
        try:
            values = compute()
        finally:
            self._get_lr_called_within_step = before
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = self._current()

    def _current(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]


class _LRScheduler(LRScheduler):
    """torch's old name for LRScheduler, which tutorials still subclass (UvA's warm-up cosine)."""


class StepLR(LRScheduler):
    """lr *= gamma every step_size epochs (closed form: base_lr * gamma ^ (epoch // step_size))."""

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        check_hyperparameters("StepLR", {"step_size": step_size, "gamma": gamma})
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current()
        return [lr * self.gamma for lr in self._current()]

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma ** (self.last_epoch // self.step_size) for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """lr *= gamma every epoch (closed form: base_lr * gamma ^ epoch)."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        check_hyperparameters("ExponentialLR", {"gamma": gamma})
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self._is_initial:
            return self._current()
        return [lr * self.gamma for lr in self._current()]

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma**self.last_epoch for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """lr = eta_min + (base_lr - eta_min) (1 + cos(pi epoch / T_max)) / 2, stepped in torch's
    recursive form (each lr from the one before), which also follows an lr changed by hand."""

    def __init__(
        self,
        optimizer: Optimizer,
        T_max: int,
        eta_min: float = 0.0,  # noqa: N803
        last_epoch: int = -1,
    ) -> None:
        check_hyperparameters("CosineAnnealingLR", {"T_max": T_max, "eta_min": eta_min})
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        epoch, t_max, low = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return self._current()
        if self._step_count == 1 and epoch > 0:  # resumed: the closed form once
            return self._get_closed_form_lr()
        if (epoch - 1 - t_max) % (2 * t_max) == 0:  # past the trough the cosine turns back up
            return [
                lr + (base - low) * (1 - math.cos(math.pi / t_max)) / 2
                for lr, base in zip(self._current(), self.base_lrs)
            ]
        ratio = (1 + math.cos(math.pi * epoch / t_max)) / (
            1 + math.cos(math.pi * (epoch - 1) / t_max)
        )
        return [ratio * (lr - low) + low for lr in self._current()]

    def _get_closed_form_lr(self) -> list[float]:
        cosine = 1 + math.cos(math.pi * self.last_epoch / self.T_max)
        return [self.eta_min + (base - self.eta_min) * cosine / 2 for base in self.base_lrs]


class ReduceLROnPlateau(_SchedulerState):
    """Multiply lr by ``factor`` when the watched metric has not improved for ``patience`` steps."""

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float = 0.0,
        eps: float = 1e-8,
    ) -> None:
        _check_optimizer("ReduceLROnPlateau", optimizer)
        check_hyperparameters(
            "ReduceLROnPlateau",
            dict(
                mode=mode,
                factor=factor,
                patience=patience,
                threshold=threshold,
                threshold_mode=threshold_mode,
                cooldown=cooldown,
                min_lr=min_lr,
                eps=eps,
            ),
        )
        self.optimizer = optimizer
        self.mode, self.factor, self.patience = mode, factor, patience
        self.threshold, self.threshold_mode = threshold, threshold_mode
        self.cooldown, self.min_lr, self.eps = cooldown, min_lr, eps
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0
        self.last_epoch = 0

    def _is_better(self, value: float) -> bool:
        if self.mode == "min":
            edge = (
                self.best * (1 - self.threshold)
                if self.threshold_mode == "rel"
                else self.best - self.threshold
            )
            return value < edge
        edge = (
            self.best * (1 + self.threshold)
            if self.threshold_mode == "rel"
            else self.best + self.threshold
        )
        return value > edge

    def step(self, metrics: float) -> None:
        if _Mode.capture is not None and not isinstance(metrics, (int, float)):
            raise GraphError(
                f"ReduceLROnPlateau.step: expected a Python number inside a CPUGraph capture, got "
                f"{type(metrics).__name__}: its value would be read once, at capture.\nHint: step "
                f"the scheduler after each replay, outside the graph: sched.step(loss.item())."
            )
        value = float(metrics)
        self.last_epoch += 1
        if self._is_better(value):
            self.best = value
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            for group in self.optimizer.param_groups:
                new_lr = max(group["lr"] * self.factor, self.min_lr)
                if group["lr"] - new_lr > self.eps:
                    group["lr"] = new_lr
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0


# The rest of torch's schedules, in their own files, under this module's name as in torch.
from .lr_scheduler_chained import ChainedScheduler  # noqa: E402
from .lr_scheduler_cycles import CosineAnnealingWarmRestarts, OneCycleLR, SequentialLR  # noqa: E402
from .lr_scheduler_cyclic import CyclicLR  # noqa: E402
from .lr_scheduler_factors import (  # noqa: E402
    ConstantLR,
    LambdaLR,
    LinearLR,
    MultiplicativeLR,
    MultiStepLR,
    PolynomialLR,
)

__all__ = [
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "MultiplicativeLR",
    "OneCycleLR",
    "PolynomialLR",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
]
