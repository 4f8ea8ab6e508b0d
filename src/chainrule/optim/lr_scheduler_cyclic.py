"""CyclicLR (Smith, 2017): the learning rate climbs from base_lr to max_lr and back in cycles,
momentum the opposite way, as torch.optim.lr_scheduler.CyclicLR. Step it after every batch."""

from __future__ import annotations

import math
from typing import Any, Callable

from .._checks import fail_value
from .lr_scheduler import LRScheduler, _check_optimizer
from .optimizer import Optimizer

# the built-in amplitude scalings, and whether they read the cycle or the iteration
_MODES: dict[str, tuple[Callable[[Any, float], float], str]] = {
    "triangular": (lambda self, x: 1.0, "cycle"),
    "triangular2": (lambda self, x: 1 / (2.0 ** (x - 1)), "cycle"),
    "exp_range": (lambda self, x: self.gamma**x, "iterations"),
}


class CyclicLR(LRScheduler):
    """lr = base_lr + (max_lr - base_lr) * h * scale, with h rising 0 -> 1 over step_size_up
    steps and falling back over step_size_down; scale from ``mode`` (triangular: 1,
    triangular2: halved each cycle, exp_range: gamma ** step) or from ``scale_fn``.

    >>> import chainrule as cr
    >>> opt = cr.optim.SGD([cr.zeros(1, requires_grad=True)], lr=1.0, momentum=0.9)
    >>> sched = CyclicLR(opt, base_lr=0.1, max_lr=0.5, step_size_up=2)
    >>> lrs = []
    >>> for _ in range(4):
    ...     sched.step()
    ...     lrs.append(round(opt.param_groups[0]["lr"], 2))
    >>> lrs
    [0.3, 0.5, 0.3, 0.1]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        base_lr: Any,
        max_lr: Any,
        step_size_up: int = 2000,
        step_size_down: int | None = None,
        mode: str = "triangular",
        gamma: float = 1.0,
        scale_fn: Callable[[float], float] | None = None,
        scale_mode: str = "cycle",
        cycle_momentum: bool = True,
        base_momentum: Any = 0.8,
        max_momentum: Any = 0.9,
        last_epoch: int = -1,
    ) -> None:
        who = "CyclicLR"
        _check_optimizer(who, optimizer)
        groups = optimizer.param_groups
        base_lrs = _each(who, "base_lr", base_lr, len(groups))
        if last_epoch == -1:
            for group, lr in zip(groups, base_lrs):
                group["lr"] = lr
        self.max_lrs = _each(who, "max_lr", max_lr, len(groups))
        up = float(step_size_up)
        down = float(step_size_down) if step_size_down is not None else up
        if up <= 0 or down < 0:
            fail_value(who, "step_size_up > 0 and step_size_down >= 0", f"{up} and {down}")
        self.total_size, self.step_ratio = up + down, up / (up + down)
        if mode not in _MODES and scale_fn is None:
            fail_value(
                who, "mode 'triangular', 'triangular2' or 'exp_range', or a scale_fn", repr(mode)
            )
        if scale_mode not in ("cycle", "iterations"):
            fail_value(who, "scale_mode 'cycle' or 'iterations'", repr(scale_mode))
        self.mode, self.gamma = mode, gamma
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode if scale_fn is not None else _MODES[mode][1]
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                fail_value(
                    who,
                    "an optimizer with momentum or betas for cycle_momentum",
                    "neither",
                    "pass cycle_momentum=False.",
                )
            self.use_beta1 = "betas" in optimizer.defaults
            self.base_momentums = _each(who, "base_momentum", base_momentum, len(groups))
            self.max_momentums = _each(who, "max_momentum", max_momentum, len(groups))
            if last_epoch == -1:
                for group, low, high in zip(groups, self.base_momentums, self.max_momentums):
                    self._set_momentum(group, high)
                    group["max_momentum"], group["base_momentum"] = high, low
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def scale_fn(self, x: float) -> float:
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        return _MODES[self.mode][0](self, x)

    def _set_momentum(self, group: dict[str, Any], value: float) -> None:
        if self.use_beta1:
            group["betas"] = (value, *group["betas"][1:])
        else:
            group["momentum"] = value

    def step(self) -> None:
        self.last_epoch += 1
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            height = x / self.step_ratio
        else:
            height = (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        # the first step, inside LRScheduler's __init__, reads the groups' initial_lr, as torch's
        for group, low, high in zip(self.optimizer.param_groups, self.base_lrs, self.max_lrs):
            group["lr"] = low + (high - low) * height * scale
        if self.cycle_momentum:
            for group, low, high in zip(
                self.optimizer.param_groups, self.base_momentums, self.max_momentums
            ):
                self._set_momentum(group, high - (high - low) * height * scale)

    def state_dict(self) -> dict[str, Any]:
        """As torch's: a plain function as scale_fn cannot be saved (no pickle), so it is left
        out, and is kept as it is by load_state_dict."""
        state = super().state_dict()
        state["_scale_fn_custom"] = None
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        custom = self._scale_fn_custom
        state = dict(state_dict)
        mode = state.pop("mode", self.mode)  # not ReduceLROnPlateau's 'min' / 'max' rule
        if mode not in _MODES and custom is None:
            fail_value(
                "CyclicLR.load_state_dict",
                "mode 'triangular', 'triangular2' or 'exp_range'",
                repr(mode),
            )
        super().load_state_dict(state)
        self.mode, self._scale_fn_custom = mode, custom


def _each(who: str, name: str, value: Any, groups: int) -> list[float]:
    values = list(value) if isinstance(value, (list, tuple)) else [value] * groups
    if len(values) != groups:
        fail_value(who, f"{groups} values of {name} (one per param group)", str(len(values)))
    return values
