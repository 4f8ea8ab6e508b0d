"""CyclicLR (Smith, 2017): the lr goes back and forth between base_lr and max_lr, and momentum
(or Adam's beta1) the other way, as torch.optim.lr_scheduler.CyclicLR."""

from __future__ import annotations

import math
import types
from typing import Any, Callable

from .._checks import fail_value
from .hyperparameters import check_hyperparameters
from .lr_scheduler import LRScheduler, _check_optimizer
from .optimizer import Optimizer

_MODES = ("triangular", "triangular2", "exp_range")


def _per_group(who: str, name: str, value: Any, optimizer: Optimizer) -> list[float]:
    count = len(optimizer.param_groups)
    values = list(value) if isinstance(value, (list, tuple)) else [value] * count
    if len(values) != count:
        fail_value(who, f"{count} values of {name} (one per param group)", str(len(values)))
    return values


class CyclicLR(LRScheduler):
    """Step it after every batch. Each cycle is step_size_up steps up and step_size_down down;
    the amplitude is scaled by 1 (triangular), 1/2^(cycle-1) (triangular2), gamma^step
    (exp_range) or ``scale_fn`` of the cycle or of the step (``scale_mode``)."""

    def __init__(
        self,
        optimizer: Optimizer,
        base_lr: float | list[float],
        max_lr: float | list[float],
        step_size_up: int = 2000,
        step_size_down: int | None = None,
        mode: str = "triangular",
        gamma: float = 1.0,
        scale_fn: Callable[[float], float] | None = None,
        scale_mode: str = "cycle",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.8,
        max_momentum: float | list[float] = 0.9,
        last_epoch: int = -1,
    ) -> None:
        who = "CyclicLR"
        _check_optimizer(who, optimizer)
        check_hyperparameters(who, {"gamma": gamma, "last_epoch": last_epoch})
        base_lrs = _per_group(who, "base_lr", base_lr, optimizer)
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                group["lr"] = lr
        self.max_lrs = _per_group(who, "max_lr", max_lr, optimizer)
        for lr in base_lrs + self.max_lrs:
            check_hyperparameters(who, {"lr": lr})
        down = step_size_up if step_size_down is None else step_size_down
        for name, size, low in (("step_size_up", step_size_up, 1), ("step_size_down", down, 0)):
            if isinstance(size, bool) or not isinstance(size, (int, float)) or not size >= low:
                fail_value(who, f"a number {name} >= {low}", repr(size))
        self.total_size = float(step_size_up) + float(down)
        self.step_ratio = float(step_size_up) / self.total_size
        if mode not in _MODES and scale_fn is None:
            fail_value(who, f"mode one of {_MODES}, or a scale_fn", repr(mode))
        if scale_mode not in ("cycle", "iterations"):
            fail_value(who, "scale_mode 'cycle' or 'iterations'", repr(scale_mode))
        self.mode, self.gamma, self.scale_mode = mode, gamma, scale_mode
        self._scale_fn_custom = scale_fn
        if scale_fn is None:  # the built-in modes fix their scale_mode, as torch's do
            self.scale_mode = "iterations" if mode == "exp_range" else "cycle"
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                fail_value(who, "an optimizer with momentum or betas for cycle_momentum", "neither")
            self.use_beta1 = "betas" in optimizer.defaults
            self.base_momentums = _per_group(who, "base_momentum", base_momentum, optimizer)
            self.max_momentums = _per_group(who, "max_momentum", max_momentum, optimizer)
            if last_epoch == -1:
                for high, low, group in zip(
                    self.max_momentums, self.base_momentums, optimizer.param_groups
                ):
                    self._set_momentum(group, high)
                    group["max_momentum"], group["base_momentum"] = high, low
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def scale_fn(self, x: float) -> float:
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma**x

    def _set_momentum(self, group: dict[str, Any], value: float) -> None:
        if self.use_beta1:
            group["betas"] = (value, *group["betas"][1:])
        else:
            group["momentum"] = value

    def get_lr(self) -> list[float]:
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            factor = x / self.step_ratio
        else:
            factor = (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        # the first step, inside LRScheduler.__init__, uses the groups' initial_lr, as torch's
        lrs = [
            low + (high - low) * factor * scale for low, high in zip(self.base_lrs, self.max_lrs)
        ]
        if self.cycle_momentum:
            for group, low, high in zip(
                self.optimizer.param_groups, self.base_momentums, self.max_momentums
            ):
                self._set_momentum(group, high - (high - low) * factor * scale)
        return lrs

    def state_dict(self) -> dict[str, Any]:
        """A plain function as scale_fn is not saved (torch drops it too); a callable object's
        attributes are."""
        state = super().state_dict()
        custom = state.pop("_scale_fn_custom")
        keep = custom is not None and not isinstance(custom, types.FunctionType)
        state["_scale_fn_custom"] = dict(custom.__dict__) if keep else None
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        who = "CyclicLR.load_state_dict"
        if not isinstance(state_dict, dict):
            fail_value(who, "a dict (from scheduler.state_dict())", type(state_dict).__name__)
        state = dict(state_dict)
        custom = state.pop("_scale_fn_custom", None)
        if state.get("mode", self.mode) not in _MODES and self._scale_fn_custom is None:
            fail_value(who, f"mode one of {_MODES}", repr(state.get("mode")))
        check_hyperparameters(who, {k: v for k, v in state.items() if k != "mode"})
        self.__dict__.update(state)
        if custom is not None and self._scale_fn_custom is not None:
            self._scale_fn_custom.__dict__.update(custom)
