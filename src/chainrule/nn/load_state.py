"""Module.load_state_dict: every entry is checked before any is written, so a refused load
changes nothing (torch copies the entries that fit and then raises, leaving a half-loaded model).

What is accepted follows torch's ``copy_``: bool, integer and floating values are cast to the
parameter's dtype, NaN and inf are kept. Refused where torch warns or cannot hold the value:
complex values (torch drops the imaginary part with a warning), strings and objects. Lists and
numbers are refused as in torch; NumPy arrays are accepted, chainrule's tensors being ndarrays.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any, NoReturn

import numpy as np

from .._checks import message, shape_str
from ..autograd.tensor import Tensor
from ..errors import StateDictError
from .parameter import Parameter


class _IncompatibleKeys(namedtuple("_IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """load_state_dict's result, with torch's class and field names, printed as torch prints it."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


IncompatibleKeys = _IncompatibleKeys


def load_state_dict(module: Any, state_dict: Any, strict: bool, assign: bool) -> IncompatibleKeys:
    who = f"{type(module).__name__}.load_state_dict"
    if not hasattr(state_dict, "keys") or not hasattr(state_dict, "__getitem__"):
        raise TypeError(
            f"{who}: expected a dict of arrays (from state_dict()), got "
            f"{type(state_dict).__name__}."
        )
    own = module._state_slots()
    missing = [k for k in own if k not in state_dict and not _old_batch_norm(state_dict, own, k)]
    unexpected = [k for k in state_dict if k not in own]
    problems: list[StateDictError] = []  # torch lists every one; so does this, in torch's order
    if strict and (missing or unexpected):
        parts = []
        if missing:
            parts.append(f"missing keys {missing}")
        if unexpected:
            parts.append(f"unexpected keys {unexpected}")
        problems.append(
            StateDictError(
                f"{who}: expected exactly the model's keys, got {'; '.join(parts)}.\n"
                "Hint: the checkpoint was saved from a different architecture; use strict=False "
                "to load the keys that match."
            )
        )
    checked = []
    for key, (owner, table, name) in own.items():
        if key in state_dict:
            value = state_dict[key]
            try:
                array = _checked(who, key, value, table[name], table is owner._parameters, assign)
            except StateDictError as problem:  # shapes and types refuse even with strict=False
                problems.append(problem)
                continue
            checked.append((owner, table, name, value, array))
    if len(problems) == 1:
        raise problems[0]
    if problems:
        lines = [str(p).split("\n")[0].removeprefix(f"{who}: ") for p in problems]
        raise StateDictError(
            f"{who}: expected a state_dict that fits the model, got {len(problems)} problems, "
            "each below (nothing was loaded):\n\t" + "\n\t".join(lines)
        )
    for owner, table, name, value, array in checked:
        if assign:
            _assign(owner, table, name, value, array)
        else:
            target = table[name]
            if table is owner._parameters:
                target._vc[0] += 1  # a graph recorded with the old values is stale
            # float64 beyond float32's range becomes inf, as torch's copy_ does, without a warning
            with np.errstate(over="ignore"):
                target._data[...] = array.astype(target._data.dtype, copy=False)
    return IncompatibleKeys(missing, unexpected)


def _old_batch_norm(state_dict: Any, own: dict, key: str) -> bool:
    """A BatchNorm's num_batches_tracked absent from a checkpoint older than it (no version 2
    in its metadata, or no metadata, as a plain dict has): torch keeps the current count then,
    rather than call it missing, so old checkpoints still load strictly."""
    owner, table, name = own[key]
    if name != "num_batches_tracked" or table is owner._parameters:
        return False
    metadata = getattr(state_dict, "_metadata", None) or {}
    version = metadata.get(key.rpartition(".")[0], {}).get("version")
    return version is None or version < 2


def _checked(
    who: str, key: str, value: Any, current: Tensor, is_param: bool, assign: bool
) -> np.ndarray:
    """The entry's array, once it is known to fit ``current``; StateDictError otherwise."""
    if isinstance(value, Tensor):
        array = value._data
    elif isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
    else:
        _fail(
            who,
            f"{key} as a Tensor or NumPy array",
            f"{type(value).__name__}",
            "convert it with chainrule.tensor(value) or np.asarray(value).",
        )
    if array.dtype.kind not in "biuf":
        hint = (
            "take value.real first if the imaginary part is meant to be dropped."
            if array.dtype.kind == "c"
            else None
        )
        _fail(
            who,
            f"{key} of real numbers (a bool, integer or floating dtype)",
            f"dtype {array.dtype}",
            hint,
        )
    if array.shape != current.shape:
        _fail(who, f"{key} of shape {shape_str(current.shape)}", shape_str(array.shape))
    if assign:
        if is_param and current.requires_grad and array.dtype.kind != "f":
            _fail(
                who,
                f"{key} of a floating dtype (with assign=True the parameter takes the value's "
                "dtype, and a parameter that requires grad must be floating)",
                f"dtype {array.dtype}",
                "convert it with .float(), or load with assign=False to cast it.",
            )
    elif current.dtype.kind in "biu" and array.dtype.kind == "f" and not np.isfinite(array).all():
        _fail(
            who,
            f"finite values for {key} (a {'parameter' if is_param else 'buffer'} of dtype "
            f"{current.dtype})",
            "NaN or inf",
        )
    return array


def _assign(owner: Any, table: dict, name: str, value: Any, array: np.ndarray) -> None:
    """torch's assign=True: the module keeps the given tensor (its memory and dtype); a parameter
    stays a Parameter with the old requires_grad."""
    old = table[name]
    if table is owner._parameters:
        if isinstance(value, Parameter):
            new = value
            new.requires_grad = old.requires_grad
        else:
            new = Parameter(array, requires_grad=old.requires_grad)
            if isinstance(value, Tensor):
                new._vc = value._vc  # the same memory, so the same count of in-place writes
    else:
        new = value if isinstance(value, Tensor) else Tensor._wrap(array)
    setattr(owner, name, new)


def _fail(who: str, expected: str, got: str, hint: str | None = None) -> NoReturn:
    raise StateDictError(message(who, expected, got, hint))
