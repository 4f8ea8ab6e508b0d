"""Optimizer: parameter groups, per-parameter state, zero_grad and state dicts, as in torch.optim."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .._checks import fail_value


class Optimizer:
    """Base class. Subclasses implement ``_update(param, grad, state, group)`` for one parameter.

    Updates are in place on the parameter's memory, so a forward pass saved before ``step()`` must not be
    reused for another backward after it.
    """

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.state: dict[int, dict[str, Any]] = {}
        self.param_groups: list[dict[str, Any]] = []
        params = list(params)
        if not params:
            fail_value(type(self).__name__, "a non-empty list of parameters", "an empty one",
                       "pass model.parameters() after the model has layers.")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group: dict[str, Any]) -> None:
        group = dict(group)
        group["params"] = list(group["params"])
        for key, value in self.defaults.items():
            group.setdefault(key, value)
        for param in group["params"]:
            if not getattr(param, "requires_grad", False):
                fail_value(type(self).__name__, "parameters that require grad",
                           f"a tensor of shape {param.shape} with requires_grad=False")
        self._check_hyperparameters(group)
        self.param_groups.append(group)

    def _check_hyperparameters(self, group: dict[str, Any]) -> None:
        who = type(self).__name__
        lr = group.get("lr")
        if not isinstance(lr, (int, float, np.floating)) or not np.isfinite(lr) or lr < 0:
            fail_value(who, "a finite learning rate lr >= 0", repr(lr))
        for key in ("weight_decay", "momentum", "eps"):
            value = group.get(key)
            if value is not None and (not np.isfinite(value) or value < 0):
                fail_value(who, f"{key} >= 0", repr(value))

    def zero_grad(self, set_to_none: bool = True) -> None:
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
        return loss

    def _update(self, param: Any, grad: np.ndarray, state: dict[str, Any],
                group: dict[str, Any]) -> None:
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
        state = {index[key]: {k: (v.copy() if isinstance(v, np.ndarray) else v)
                              for k, v in values.items()}
                 for key, values in self.state.items() if key in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        who = f"{type(self).__name__}.load_state_dict"
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            fail_value(who, f"{len(self.param_groups)} parameter groups", f"{len(groups)}")
        params = [p for g in self.param_groups for p in g["params"]]
        for mine, theirs in zip(self.param_groups, groups):
            if len(mine["params"]) != len(theirs["params"]):
                fail_value(who, f"a group of {len(mine['params'])} parameters",
                           f"one of {len(theirs['params'])}")
            mine.update({k: v for k, v in theirs.items() if k != "params"})
        self.state = {}
        for position, values in state_dict["state"].items():
            param = params[int(position)]
            restored = {}
            for key, value in values.items():
                if isinstance(value, np.ndarray) and value.shape == param.shape:
                    value = value.astype(param.dtype, copy=True)
                elif isinstance(value, np.ndarray) and value.ndim == 0:
                    value = value.item()
                restored[key] = value
            self.state[id(param)] = restored

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        return "\n".join(lines) + "\n)"
