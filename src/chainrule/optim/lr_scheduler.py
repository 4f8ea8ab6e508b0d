"""Learning-rate schedules, torch.optim.lr_scheduler's: StepLR, ExponentialLR,
CosineAnnealingLR and ReduceLROnPlateau. Call ``scheduler.step()`` after ``optimizer.step()``."""

from __future__ import annotations

import functools
import math
from typing import Any

from .._checks import fail_value
from ..autograd.grad_mode import _Mode
from ..cpugraph.capture import record_call
from ..errors import GraphError
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


class LRScheduler(_SchedulerState):
    """Sets each group's lr to ``base_lr * factor(epoch)``; subclasses give the factor."""

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        _check_optimizer(type(self).__name__, optimizer)
        check_hyperparameters(type(self).__name__, {"last_epoch": last_epoch})
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self.step()

    def lr_at(self, base_lr: float, epoch: int) -> float:
        raise NotImplementedError

    def step(self) -> None:
        self.last_epoch += 1
        for group, base in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = self.lr_at(base, self.last_epoch)


class StepLR(LRScheduler):
    """lr = base_lr * gamma ^ floor(epoch / step_size)."""

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        check_hyperparameters("StepLR", {"step_size": step_size, "gamma": gamma})
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        return base_lr * self.gamma ** (epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """lr = base_lr * gamma ^ epoch."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        check_hyperparameters("ExponentialLR", {"gamma": gamma})
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        return base_lr * self.gamma**epoch


class CosineAnnealingLR(LRScheduler):
    """lr = eta_min + (base_lr - eta_min) (1 + cos(pi epoch / T_max)) / 2 (the closed form)."""

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

    def lr_at(self, base_lr: float, epoch: int) -> float:
        return (
            self.eta_min
            + (base_lr - self.eta_min) * (1 + math.cos(math.pi * epoch / self.T_max)) / 2
        )


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
