"""Optimizer: parameter groups, per-parameter state, zero_grad and state dicts, as in torch.optim."""

from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from .._checks import fail_value, shape_str
from ..autograd.grad_mode import _Mode
from ..autograd.tensor import Tensor
from .hyperparameters import check_hyperparameters


class Optimizer:
    """Base class. Subclasses implement ``_update(param, grad, state, group)`` for one parameter.

    Updates are in place on the parameter's memory, so a forward pass saved before ``step()`` must not be
    reused for another backward after it.
    """

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        who = type(self).__name__
        check_hyperparameters(who, defaults)
        self.defaults = defaults
        self.state: dict[int, dict[str, Any]] = {}
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
            raise TypeError(
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
            if not param.requires_grad:
                fail_value(
                    who,
                    "parameters that require grad",
                    f"a tensor of shape {param.shape} with requires_grad=False",
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
        states = self.state
        update = self._update
        updates = []
        for group in self.param_groups:
            for param in group["params"]:
                grad = param._grad
                if grad is None:
                    continue
                state = states.get(id(param))
                if state is None:
                    state = states[id(param)] = {}
                update(param, grad, state, group)
                param._version += 1  # a graph recorded before step() can no longer be used
                updates.append((param, grad, group))
        if _Mode.capture is not None:
            _Mode.capture.optimizer_step(self, updates)
        return loss

    def _update(
        self, param: Any, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        raise NotImplementedError

    def _replay_step(self, updates: list) -> Callable[[], None]:
        """step() as a CPUGraph replays it, on the (param, grad, group) triples the capture saw.

        Hyperparameters and state are read at replay time, so a scheduler stepped between
        replays takes effect; the version bump keeps graphs recorded before the step unusable.
        """

        def step() -> None:
            update, states = self._update, self.state
            for param, grad, group in updates:
                update(param, grad, states[id(param)], group)
                param._vc[0] += 1

        return step

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
        """Restore groups and state; hyperparameters and state shapes are checked before any change."""
        who = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, dict) or not {"state", "param_groups"} <= set(state_dict):
            got = (
                type(state_dict).__name__
                if not isinstance(state_dict, dict)
                else f"keys {sorted(state_dict)}"
            )
            raise TypeError(
                f"{who}: expected a dict with 'state' and 'param_groups' (from "
                f"optimizer.state_dict()), got {got}."
            )
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            fail_value(who, f"{len(self.param_groups)} parameter groups", f"{len(groups)}")
        params = [p for g in self.param_groups for p in g["params"]]
        for mine, theirs in zip(self.param_groups, groups):
            if len(mine["params"]) != len(theirs["params"]):
                fail_value(
                    who,
                    f"a group of {len(mine['params'])} parameters",
                    f"one of {len(theirs['params'])}",
                )
            check_hyperparameters(who, {k: v for k, v in theirs.items() if k != "params"})
        restored_state = {}
        for position, values in state_dict["state"].items():
            index = int(position)
            if not 0 <= index < len(params):
                fail_value(
                    who,
                    f"state for parameters 0 to {len(params) - 1}",
                    f"state for parameter {index}",
                )
            param = params[index]
            restored = {}
            for key, value in values.items():
                if isinstance(value, np.ndarray) and value.ndim == 0:
                    value = value.item()
                elif isinstance(value, np.ndarray):
                    if value.shape != param.shape:
                        fail_value(
                            who,
                            f"state {key!r} of parameter {index} with the parameter's shape "
                            f"{shape_str(param.shape)}",
                            shape_str(value.shape),
                            "the optimizer state comes from another model.",
                        )
                    value = value.astype(param.dtype, copy=True)
                restored[key] = value
            restored_state[id(param)] = restored
        for mine, theirs in zip(self.param_groups, groups):
            mine.update({k: v for k, v in theirs.items() if k != "params"})
        self.state = restored_state

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        return "\n".join(lines) + "\n)"
