"""Optimizer.load_state_dict's checks: the whole state dict is read and validated before the
optimizer changes, so a refused load leaves its groups and state as they were.

Parameters are referred to by the ids in the saved groups' ``params`` lists, matched in order
with this optimizer's parameters, as torch does. Each optimizer names the state a parameter
carries (``_state_spec``); a parameter's saved state must be empty (not stepped yet) or hold
every required entry. torch loads any entries and fails at the next ``step()`` (an SGD state
loaded into Adam raises KeyError 'step' there): chainrule refuses at load time, on purpose.
"""

from __future__ import annotations

import math
from typing import Any, NoReturn

import numpy as np

from .._checks import message, shape_str
from ..autograd.tensor import Tensor
from ..dtypes import get_default_dtype
from .hyperparameters import check_hyperparameters


def checked_state(optimizer: Any, state_dict: Any) -> tuple[list[dict], dict[int, dict]]:
    """The hyperparameters of each group and the per-parameter state to install."""
    who = f"{type(optimizer).__name__}.load_state_dict"
    if not isinstance(state_dict, dict) or not {"state", "param_groups"} <= set(state_dict):
        got = (
            type(state_dict).__name__
            if not isinstance(state_dict, dict)
            else f"keys {sorted(map(str, state_dict))}"
        )
        raise TypeError(
            f"{who}: expected a dict with 'state' and 'param_groups' (from "
            f"optimizer.state_dict()), got {got}."
        )
    groups, state = state_dict["param_groups"], state_dict["state"]
    if not isinstance(groups, (list, tuple)):
        _fail(TypeError, who, "param_groups as a list of dicts", type(groups).__name__)
    if len(groups) != len(optimizer.param_groups):
        _fail(ValueError, who, f"{len(optimizer.param_groups)} parameter groups", f"{len(groups)}")
    by_id: dict[Any, tuple[Any, dict]] = {}
    merged = []
    for number, (mine, theirs) in enumerate(zip(optimizer.param_groups, groups)):
        ids = theirs.get("params") if isinstance(theirs, dict) else None
        if not isinstance(ids, (list, tuple)):
            _fail(
                TypeError,
                who,
                f"param_groups[{number}] as a dict with a 'params' list",
                type(theirs).__name__ if ids is None else f"'params' of type {type(ids).__name__}",
            )
        if len(mine["params"]) != len(ids):
            _fail(
                ValueError,
                who,
                f"a group of {len(mine['params'])} parameters",
                f"one of {len(ids)}",
            )
        hyper = {k: v for k, v in theirs.items() if k != "params"}
        check_hyperparameters(who, hyper)
        group = {**mine, **hyper}
        for saved, param in zip(ids, mine["params"]):
            saved = _position(who, saved, f"an integer id in param_groups[{number}]['params']")
            if saved in by_id:
                _fail(ValueError, who, "each parameter id once in param_groups", f"{saved} twice")
            by_id[saved] = (param, group)
        merged.append(hyper)
    if not isinstance(state, dict):
        _fail(TypeError, who, "state as a dict from parameter ids to dicts", type(state).__name__)
    restored: dict[int, dict] = {}
    for key, values in state.items():
        index = _position(who, key, f"state keyed by the parameter ids {sorted(by_id)}")
        if index not in by_id:
            _fail(
                ValueError,
                who,
                f"state for the parameter ids {sorted(by_id)}",
                f"state for {key!r}",
            )
        param, group = by_id[index]
        if not isinstance(values, dict):
            _fail(
                TypeError,
                who,
                f"the state of parameter {index} as a dict of named entries",
                type(values).__name__,
            )
        restored[id(param)] = _entries(optimizer, who, index, param, group, values)
    return merged, restored


def _position(who: str, key: Any, expected: str) -> int:
    """A parameter id: an int, or its decimal string (what a JSON round trip makes of it)."""
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        return int(key)
    if isinstance(key, str) and key.isdecimal():
        return int(key)
    _fail(ValueError, who, expected, repr(key))


def _entries(optimizer: Any, who: str, index: int, param: Any, group: dict, values: dict) -> dict:
    spec = optimizer._state_spec(group)
    if spec is not None and values:
        required = [name for name, kind in spec.items() if not kind.startswith("optional")]
        missing = [name for name in required if name not in values]
        unknown = [name for name in values if name not in spec]
        if missing or unknown:
            got = "; ".join(
                part
                for part in (
                    f"missing entries {missing}" if missing else "",
                    f"unexpected entries {unknown}" if unknown else "",
                )
                if part
            )
            _fail(
                ValueError,
                who,
                f"the state of parameter {index} with the entries {required} "
                f"(or none, before the first step)",
                got,
                f"the state dict comes from another optimizer or other settings; "
                f"{type(optimizer).__name__} keeps {list(spec)}.",
            )
    out = {}
    for name, value in values.items():
        kind = (spec or {}).get(name, "")
        if kind == "step" or name == "step":
            out[name] = _step(who, index, value)
        elif kind == "scalar":
            out[name] = _scalar(who, index, name, value)
        elif value is None and kind == "optional array":
            out[name] = None
        else:
            out[name] = _array(who, index, param, name, value, kind)
    return out


def _step(who: str, index: int, value: Any) -> int:
    """A count of steps: an integer >= 0 (a whole float such as torch's tensor(3.) is read as 3)."""
    if isinstance(value, Tensor):
        value = value._data
    elif _foreign_tensor(value):
        value = np.asarray(value)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if not (ok and math.isfinite(value) and value >= 0 and float(value).is_integer()):
        _fail(
            ValueError,
            who,
            f"state 'step' of parameter {index} as a whole number >= 0",
            f"{type(value).__name__} {value!r}",
        )
    return int(value)


def _scalar(who: str, index: int, name: str, value: Any) -> Any:
    """A number torch keeps as a 0-d tensor of its default dtype (NAdam's mu_product, ASGD's eta
    and mu): kept as a NumPy scalar of chainrule's default dtype, so it rounds as torch's does."""
    if isinstance(value, Tensor):
        value = value._data
    value = np.asarray(value) if _foreign_tensor(value) or isinstance(value, np.ndarray) else value
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if not (ok and math.isfinite(value)):
        _fail(
            ValueError,
            who,
            f"state {name!r} of parameter {index} as a finite number",
            f"{type(value).__name__} {value!r}",
        )
    return get_default_dtype().type(value)


def _array(who: str, index: int, param: Any, name: str, value: Any, kind: str) -> Any:
    if isinstance(value, Tensor):
        value = value._data
    elif _foreign_tensor(value):
        value = np.asarray(value)
    if not kind and not isinstance(value, np.ndarray):
        return value  # an optimizer without a _state_spec keeps what it saved
    if not kind and value.ndim == 0 and param.ndim != 0:
        return value.item()  # a scalar such an optimizer keeps, saved as a 0-d array
    if not isinstance(value, np.ndarray):
        _fail(
            TypeError,
            who,
            f"state {name!r} of parameter {index} as an array",
            type(value).__name__,
        )
    if value.dtype.kind != "f":
        _fail(
            TypeError,
            who,
            f"state {name!r} of parameter {index} as a floating-point array",
            f"dtype {value.dtype}",
        )
    if value.shape != param.shape:
        _fail(
            ValueError,
            who,
            f"state {name!r} of parameter {index} with the parameter's shape "
            f"{shape_str(param.shape)}",
            shape_str(value.shape),
            "the optimizer state comes from another model.",
        )
    with np.errstate(over="ignore"):
        return value.astype(param.dtype, copy=True)


def _foreign_tensor(value: Any) -> bool:
    """Another library's tensor (a torch optimizer's state_dict holds torch tensors): read as
    the array it converts to."""
    return hasattr(value, "__array__") and not isinstance(value, (np.ndarray, np.generic))


def _fail(kind: type, who: str, expected: str, got: str, hint: str | None = None) -> NoReturn:
    raise kind(message(who, expected, got, hint))
