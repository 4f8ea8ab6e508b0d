"""Optimizer: parameter groups, per-parameter state, zero_grad and state dicts, as in torch.optim."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .._checks import fail_value
from ..autograd.grad_mode import _Mode
from ..autograd.tensor import Tensor
from ..errors import MissingNameError
from .hyperparameters import check_hyperparameters
from .load_state import checked_state
from .param_state import ParamState


class Optimizer:
    """Base class. Subclasses implement ``_update(param, grad, state, group)`` for one parameter.

    Updates are in place on the parameter's memory, so a forward pass saved before ``step()`` must not be
    reused for another backward after it.
    """

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        who = type(self).__name__
        check_hyperparameters(who, defaults)
        self.defaults = defaults
        self.state: ParamState = ParamState()
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, (Tensor, np.ndarray)) or not hasattr(params, "__iter__"):
            raise TypeError(
                f"{who}: expected an iterable of Parameters or of dicts, got "
                f"{type(params).__name__}.\nHint: pass model.parameters() or [weight]."
            )
        params = list(params)
        if not params:
            fail_value(
                who,
                "a non-empty list of parameters",
                "an empty one",
                "pass model.parameters() after the model has layers.",
            )
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group: dict[str, Any]) -> None:
        who = type(self).__name__
        if not isinstance(group, dict) or "params" not in group:
            # torch: a KeyError for a dict without 'params', a TypeError for anything else
            raise (MissingNameError if isinstance(group, dict) else TypeError)(
                f"{who}: expected a parameter group dict with a 'params' key, got "
                f"{type(group).__name__}."
            )
        group = dict(group)
        params = group["params"]
        group["params"] = [params] if isinstance(params, Tensor) else list(params)
        for key, value in self.defaults.items():
            group.setdefault(key, value)
        for position, param in enumerate(group["params"]):
            if not isinstance(param, Tensor):
                raise TypeError(
                    f"{who}: expected Parameters (tensors), got {type(param).__name__} "
                    f"at position {position} of group {len(self.param_groups)}."
                )
            # A frozen parameter (requires_grad=False) is accepted, as torch does: fine-tuning
            # code passes model.parameters() whole, and a tensor with no .grad is not stepped.
            if param._ctx is not None and not param.retains_grad:
                fail_value(
                    who,
                    "leaf tensors (parameters) to optimize",
                    f"a non-leaf tensor of shape {param.shape} made by {param._ctx.name()}",
                    "optimize the tensor it was computed from, or .detach().requires_grad_() it.",
                )
        self._check_unique(who, group["params"])
        check_hyperparameters(who, {k: v for k, v in group.items() if k != "params"})
        self.param_groups.append(group)

    def _check_unique(self, who: str, params: list[Any]) -> None:
        """A parameter listed twice would be stepped twice (torch only warns within a group)."""
        seen: dict[int, int] = {}
        for position, param in enumerate(params):
            if id(param) in seen:
                fail_value(
                    who,
                    "each parameter once in its group",
                    f"the same parameter at positions {seen[id(param)]} and {position} of "
                    f"group {len(self.param_groups)}",
                    "it would be updated twice per step; list it once.",
                )
            seen[id(param)] = position
        for index, other in enumerate(self.param_groups):
            if any(id(p) in seen for p in other["params"]):
                fail_value(
                    who,
                    "each parameter in one parameter group only",
                    f"some parameters appear in group {index} and in group {len(self.param_groups)}",
                    "split the parameters so that each one belongs to one group.",
                )

    def zero_grad(self, set_to_none: bool = True) -> None:
        if _Mode.capture is not None:
            _Mode.capture.zero_grad(
                [p for g in self.param_groups for p in g["params"]], set_to_none
            )
        for group in self.param_groups:
            for param in group["params"]:
                if set_to_none:
                    param._grad = None
                elif param._grad is not None:
                    param._grad[...] = 0

    def step(self, closure: Any = None) -> Any:
        loss = closure() if closure is not None else None
        self._update_all()
        if _Mode.capture is not None:  # a replay runs _update_all again, reading everything anew
            _Mode.capture.optimizer_step(self._update_all)
        return loss

    def _update_all(self) -> None:
        """One update of every parameter that has a .grad, with its group's settings and its
        state as they are now (a scheduler, a new group, a cleared state all take effect)."""
        states = self.state
        lookup = dict.get  # the plain dict's: ParamState's torch-facing get costs ~1 us a call
        update = self._update
        for group in self.param_groups:
            for param in group["params"]:
                grad = param._grad
                if grad is None:
                    continue
                state = lookup(states, id(param))
                if state is None:
                    state = states[id(param)] = {}
                update(param, grad, state, group)
                # param._version += 1 without the property's two calls: a graph recorded
                # before step() can no longer be used
                param._vc[0] += 1

    def _update(
        self, param: Any, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        raise NotImplementedError

    # --- state dicts: parameters are referred to by their position, as torch does -------
    def state_dict(self) -> dict[str, Any]:
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            for param in group["params"]:
                index.setdefault(id(param), len(index))
            saved = {k: v for k, v in group.items() if k != "params"}
            saved["params"] = [index[id(p)] for p in group["params"]]
            groups.append(saved)
        state = {
            index[key]: {
                k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in values.items()
            }
            for key, values in self.state.items()
            if key in index
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore groups and state; everything is checked before anything changes (see
        load_state.py), including that each parameter's state has the entries this optimizer
        needs: stricter than torch, which fails at the next step() instead."""
        groups, state = checked_state(self, state_dict)
        for mine, theirs in zip(self.param_groups, groups):
            mine.update(theirs)
        self.state = ParamState(state)

    def _state_spec(self, group: dict[str, Any]) -> dict[str, str] | None:
        """The state entries one parameter carries under ``group``'s settings, by name:
        "step", "array" or "optional array"; None (a custom optimizer) checks only shapes."""
        return None

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        return "\n".join(lines) + "\n)"


def advance(state: dict[str, Any], param: Any, *moments: str) -> int:
    """The parameter's step count after this step. Its first step also makes the named moment
    arrays, zeros shaped like it, as torch fills a parameter's state lazily."""
    if not state:
        state["step"] = 0
        for name in moments:
            state[name] = np.zeros_like(param._data)
    state["step"] += 1
    return state["step"]
