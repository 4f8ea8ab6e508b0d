"""Schedules that scale each group's base lr by a factor of the epoch: MultiStepLR, LambdaLR,
MultiplicativeLR, LinearLR, ConstantLR and PolynomialLR (torch.optim.lr_scheduler's).

Each is written in closed form, lr = base_lr * factor(epoch), where torch steps a recursive
form; the two agree to rounding, and the closed form cannot drift.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any, Callable

from .._checks import fail_value
from .hyperparameters import check_hyperparameters
from .lr_scheduler import LRScheduler
from .optimizer import Optimizer


def _per_group(who: str, optimizer: Any, lr_lambda: Any) -> list[Callable[[int], float]]:
    """One function per param group, as torch: a single one is shared by every group."""
    groups = len(getattr(optimizer, "param_groups", ()))
    lambdas = list(lr_lambda) if isinstance(lr_lambda, (list, tuple)) else [lr_lambda] * groups
    if len(lambdas) != groups:
        fail_value(who, f"{groups} lr_lambda functions (one per param group)", str(len(lambdas)))
    if not all(callable(f) for f in lambdas):
        fail_value(who, "lr_lambda to be a function of the epoch", repr(lr_lambda))
    return lambdas


class _Functional(LRScheduler):
    """State dicts leave the user's functions out, as torch does (they cannot be saved)."""

    def state_dict(self) -> dict[str, Any]:
        return {k: v for k, v in super().state_dict().items() if k != "lr_lambdas"}


class MultiStepLR(LRScheduler):
    """lr = base_lr * gamma ^ (number of milestones <= epoch); a repeated milestone counts twice."""

    def __init__(
        self, optimizer: Optimizer, milestones: list[int], gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        check_hyperparameters("MultiStepLR", {"gamma": gamma})
        self.milestones, self.gamma = sorted(milestones), gamma
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        return base_lr * self.gamma ** bisect_right(self.milestones, epoch)


class LambdaLR(_Functional):
    """lr = base_lr * lr_lambda(epoch), with one function or one per param group."""

    def __init__(self, optimizer: Optimizer, lr_lambda: Any, last_epoch: int = -1) -> None:
        self.lr_lambdas = _per_group("LambdaLR", optimizer, lr_lambda)
        super().__init__(optimizer, last_epoch)

    def step(self) -> None:
        self.last_epoch += 1
        for group, base, f in zip(self.optimizer.param_groups, self.base_lrs, self.lr_lambdas):
            group["lr"] = base * f(self.last_epoch)


class MultiplicativeLR(_Functional):
    """lr = lr * lr_lambda(epoch) at every step after the first: a running product."""

    def __init__(self, optimizer: Optimizer, lr_lambda: Any, last_epoch: int = -1) -> None:
        self.lr_lambdas = _per_group("MultiplicativeLR", optimizer, lr_lambda)
        super().__init__(optimizer, last_epoch)

    def step(self) -> None:
        self.last_epoch += 1
        if self.last_epoch > 0:
            for group, f in zip(self.optimizer.param_groups, self.lr_lambdas):
                group["lr"] = group["lr"] * f(self.last_epoch)


class LinearLR(LRScheduler):
    """The factor goes linearly from start_factor to end_factor over total_iters epochs (warm-up)."""

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        if not 0 < start_factor <= 1:
            fail_value("LinearLR", "start_factor in (0, 1]", repr(start_factor))
        if not 0 <= end_factor <= 1:
            fail_value("LinearLR", "end_factor in [0, 1]", repr(end_factor))
        self.start_factor, self.end_factor, self.total_iters = start_factor, end_factor, total_iters
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        if self.total_iters <= 0:  # torch never leaves start_factor then (and divides by nothing)
            return base_lr * self.start_factor
        progress = min(self.total_iters, epoch) / self.total_iters
        return base_lr * (self.start_factor + (self.end_factor - self.start_factor) * progress)


class ConstantLR(LRScheduler):
    """lr = base_lr * factor for the first total_iters epochs, then base_lr."""

    def __init__(
        self,
        optimizer: Optimizer,
        factor: float = 1.0 / 3,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        if not 0 <= factor <= 1:
            fail_value("ConstantLR", "factor in [0, 1]", repr(factor))
        self.factor, self.total_iters = factor, total_iters
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        return base_lr * (self.factor if epoch < self.total_iters else 1.0)


class PolynomialLR(LRScheduler):
    """lr = base_lr * (1 - min(epoch, total_iters) / total_iters) ^ power, then 0."""

    def __init__(
        self, optimizer: Optimizer, total_iters: int = 5, power: float = 1.0, last_epoch: int = -1
    ) -> None:
        self.total_iters, self.power = total_iters, power
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        if self.total_iters <= 0:  # torch leaves the lr alone then (and divides by nothing)
            return base_lr
        return base_lr * (1.0 - min(self.total_iters, epoch) / self.total_iters) ** self.power
