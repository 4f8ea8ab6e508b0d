"""torch.optim.swa_utils: weight averaging (SWA, Izmailov et al. 2018) and EMA of a model.

AveragedModel keeps a copy of a model whose parameters are a running average of the trained
one's; SWALR anneals each group's lr to a constant swa_lr for the averaging phase; update_bn
recomputes the BatchNorm statistics of the averaged weights with one pass over the data (the
averaged weights never ran forward, so no running statistics belong to them).
"""

from __future__ import annotations

import copy
import itertools
import math
from typing import Any, Callable, Iterable

import numpy as np

from .._checks import fail_value
from ..autograd.grad_mode import no_grad
from ..autograd.tensor import Tensor
from ..cpugraph.capture import record_call
from ..device import check_device
from ..errors import ArgumentAssertionError
from ..nn.module import Module
from ..nn.normalization import BatchNorm1d
from .lr_scheduler import LRScheduler
from .optimizer import Optimizer


def _assign(target: Tensor, values: np.ndarray) -> None:
    """Write in place, as torch's copy_: a float result into an integer buffer truncates."""
    target._data[...] = values if values.dtype == target.dtype else values.astype(target.dtype)
    target._version += 1


def _float(array: np.ndarray) -> np.ndarray:
    return array if array.dtype.kind == "f" else array.astype(np.float64)


def get_ema_multi_avg_fn(decay: float = 0.999) -> Callable:
    """avg <- decay avg + (1 - decay) current, on lists of tensors at once."""

    def ema_update(ema_params: list, current_params: list, _: Any) -> None:
        for ema, current in zip(ema_params, current_params):
            if ema.dtype.kind == "f":  # torch's lerp with weight 1 - decay
                ema._data += (1 - decay) * (current._data - ema._data)
                ema._version += 1
            else:
                _assign(ema, ema._data * decay + current._data * (1 - decay))

    return ema_update


def get_swa_multi_avg_fn() -> Callable:
    """avg <- avg + (current - avg) / (n + 1): the equal-weight mean of every model seen."""

    def swa_update(averaged_params: list, current_params: list, num_averaged: Any) -> None:
        n = float(getattr(num_averaged, "_data", num_averaged))
        for avg, current in zip(averaged_params, current_params):
            if avg.dtype.kind == "f":
                avg._data += (1 / (n + 1)) * (current._data - avg._data)
                avg._version += 1
            else:
                _assign(avg, avg._data + (current._data - avg._data) / (n + 1))

    return swa_update


def get_ema_avg_fn(decay: float = 0.999) -> Callable:
    """The one-tensor form of get_ema_multi_avg_fn, returning the new average."""

    def ema_update(ema_param: Any, current_param: Any, num_averaged: Any) -> Any:
        return decay * ema_param + (1 - decay) * current_param

    return ema_update


def get_swa_avg_fn() -> Callable:
    """The one-tensor form of get_swa_multi_avg_fn, returning the new average."""

    def swa_update(averaged_param: Any, current_param: Any, num_averaged: Any) -> Any:
        return averaged_param + (current_param - averaged_param) / (num_averaged + 1)

    return swa_update


class AveragedModel(Module):
    """A deep copy of ``model`` whose parameters (and buffers, with use_buffers) become a
    running average at each ``update_parameters(model)``; by default the equal-weight (SWA)
    mean, or ``avg_fn(avg, current, n)`` per tensor, or ``multi_avg_fn(avgs, currents, n)`` per
    list of same-dtype tensors (``get_ema_multi_avg_fn(decay)`` for an EMA). The state_dict
    holds ``n_averaged`` and ``module.*``, as torch's.

    >>> import chainrule as cr
    >>> net = cr.nn.Linear(2, 1)
    >>> swa = AveragedModel(net)
    >>> swa.update_parameters(net)
    >>> int(swa.n_averaged)
    1
    """

    def __init__(
        self,
        model: Module,
        device: Any = None,
        avg_fn: Callable | None = None,
        multi_avg_fn: Callable | None = None,
        use_buffers: bool = False,
    ) -> None:
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise ArgumentAssertionError(
                "AveragedModel: expected only one of avg_fn and multi_avg_fn, got both."
            )
        check_device(device, "AveragedModel")
        self.module = copy.deepcopy(model)
        self.register_buffer("n_averaged", np.zeros((), dtype=np.int64))
        self.avg_fn, self.multi_avg_fn, self.use_buffers = avg_fn, multi_avg_fn, use_buffers

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.module(*args, **kwargs)

    def _tensors(self, model: Module) -> Iterable:
        if self.use_buffers:
            return itertools.chain(model.parameters(), model.buffers())
        return model.parameters()

    def update_parameters(self, model: Module) -> None:
        """Fold ``model``'s current tensors into the average (the first call copies them);
        recorded, so a CPUGraph replay averages as an eager step does."""
        record_call(self._update, model)

    def _update(self, model: Module) -> None:
        averaged = [t.detach() for t in self._tensors(self.module)]
        current = [t.detach() for t in self._tensors(model)]
        with no_grad():
            if int(self.n_averaged._data) == 0:
                for avg, now in zip(averaged, current):
                    _assign(avg, now._data)
            elif self.avg_fn is not None:
                for avg, now in zip(averaged, current):
                    _assign(avg, self.avg_fn(avg, now, self.n_averaged)._data)
            elif self.multi_avg_fn is None:  # torch's CPU path: the one-tensor SWA formula
                n = int(self.n_averaged._data)
                for avg, now in zip(averaged, current):
                    _assign(avg, avg._data + (now._data - avg._data) / (n + 1))
            else:
                groups: dict = {}  # torch calls the function once per dtype
                for avg, now in zip(averaged, current):
                    pair = groups.setdefault(avg.dtype, ([], []))
                    pair[0].append(avg)
                    pair[1].append(now)
                for avgs, nows in groups.values():
                    self.multi_avg_fn(avgs, nows, self.n_averaged)
            if not self.use_buffers:  # the buffers follow the model's, unaveraged
                for mine, theirs in zip(self.module.buffers(), model.buffers()):
                    _assign(mine, theirs.detach()._data)
        _assign(self.n_averaged, self.n_averaged._data + 1)


def update_bn(loader: Iterable, model: Module, device: Any = None) -> None:
    """Recompute every BatchNorm's running statistics as the plain mean over one pass of
    ``loader`` (its batches, or each batch's first element), in train mode, without gradients;
    the model's mode and momenta are restored after."""
    check_device(device, "update_bn")
    momenta = {}
    for module in model.modules():
        if isinstance(module, BatchNorm1d) and module.track_running_stats:
            _assign(module.running_mean, np.zeros_like(module.running_mean._data))
            _assign(module.running_var, np.ones_like(module.running_var._data))
            _assign(module.num_batches_tracked, np.zeros((), dtype=np.int64))
            momenta[module] = module.momentum
    if not momenta:
        return
    was_training = model.training
    model.train()
    for module in momenta:
        module.momentum = None
    with no_grad():
        for batch in loader:
            model(batch[0] if isinstance(batch, (list, tuple)) else batch)
    for module, momentum in momenta.items():
        module.momentum = momentum
    model.train(was_training)


class SWALR(LRScheduler):
    """Anneal each group's lr from its value to ``swa_lr`` over ``anneal_epochs`` steps, by a
    cosine ('cos') or straight line ('linear'), then hold it; swa_lr may be one per group."""

    def __init__(
        self,
        optimizer: Optimizer,
        swa_lr: Any,
        anneal_epochs: int = 10,
        anneal_strategy: str = "cos",
        last_epoch: int = -1,
    ) -> None:
        groups = optimizer.param_groups
        if isinstance(swa_lr, (list, tuple)):
            if len(swa_lr) != len(groups):
                fail_value(
                    "SWALR",
                    f"one swa_lr per param group ({len(groups)})",
                    f"{len(swa_lr)} values",
                )
            swa_lrs = list(swa_lr)
        else:
            swa_lrs = [swa_lr] * len(groups)
        for value, group in zip(swa_lrs, groups):
            group["swa_lr"] = value
        if anneal_strategy not in ("cos", "linear"):
            fail_value("SWALR", "anneal_strategy 'cos' or 'linear'", repr(anneal_strategy))
        if isinstance(anneal_epochs, bool) or not isinstance(anneal_epochs, int):
            fail_value("SWALR", "an integer anneal_epochs >= 0", repr(anneal_epochs))
        if anneal_epochs < 0:
            fail_value("SWALR", "an integer anneal_epochs >= 0", repr(anneal_epochs))
        self.anneal_strategy, self.anneal_epochs = anneal_strategy, anneal_epochs
        super().__init__(optimizer, last_epoch)

    def _anneal(self, t: float) -> float:
        return t if self.anneal_strategy == "linear" else (1 - math.cos(math.pi * t)) / 2

    def get_lr(self) -> list[float]:
        # torch's recursion: undo last step's blend to find the lr it started from, then blend
        # that towards swa_lr by this step's share
        step = self.last_epoch if self.anneal_epochs else max(1, self.last_epoch)
        span = max(1, self.anneal_epochs)
        prev_alpha = self._anneal(max(0.0, min(1.0, (step - 1) / span)))
        alpha = self._anneal(max(0.0, min(1.0, step / span)))
        lrs = []
        for group in self.optimizer.param_groups:
            if prev_alpha == 1:
                start = group["swa_lr"]
            else:
                start = (group["lr"] - prev_alpha * group["swa_lr"]) / (1 - prev_alpha)
            lrs.append(group["swa_lr"] * alpha + start * (1 - alpha))
        return lrs
