"""LBFGS's state dict: one entry, on the first parameter, of flat vectors over all parameters
and lists of them (torch's layout), which the per-parameter checks of load_state.py cannot read."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import fail_value
from ..autograd.tensor import Tensor
from .load_state import _foreign_tensor, _position, checked_state
from .param_state import ParamState

_FLAT = ("d", "prev_flat_grad")
_FLAT_LISTS = ("old_dirs", "old_stps")


def copied(value: Any) -> Any:
    """A copy to save: the optimizer goes on appending to its lists and writing its arrays."""
    if isinstance(value, list):
        return [copied(v) for v in value]
    return value.copy() if isinstance(value, np.ndarray) else value


def load(optimizer: Any, state_dict: Any) -> None:
    """Check the groups as every optimizer does, then the one state entry, then install both."""
    who = "LBFGS.load_state_dict"
    groups, _ = checked_state(
        optimizer, {**state_dict, "state": {}} if isinstance(state_dict, dict) else state_dict
    )
    saved = state_dict["state"]
    first = optimizer._params[0]
    ids = [
        _position(who, i, "integer parameter ids") for i in state_dict["param_groups"][0]["params"]
    ]
    if not isinstance(saved, dict) or any(
        _position(who, k, "integer parameter ids") != ids[0] for k in saved
    ):
        fail_value(
            who,
            f"state only for the first parameter (id {ids[0]}), as LBFGS saves it",
            f"state for {sorted(saved) if isinstance(saved, dict) else type(saved).__name__}",
        )
    values = next(iter(saved.values()), {})
    numel = sum(p._data.size for p in optimizer._params)
    values = {name: _plain(v, first.dtype) for name, v in dict(values).items()}
    for name in _FLAT + _FLAT_LISTS:
        vectors = values.get(name)
        vectors = vectors if isinstance(vectors, list) else [vectors]
        if any(v is not None and np.shape(v) != (numel,) for v in vectors):
            fail_value(
                who,
                f"state {name!r} as flat vectors of the {numel} parameter entries",
                f"shapes {[np.shape(v) for v in vectors]}",
                "the optimizer state comes from another model.",
            )
    for mine, theirs in zip(optimizer.param_groups, groups):
        mine.update(theirs)
    optimizer.state = ParamState({id(first): values} if values else {})


def _plain(value: Any, dtype: np.dtype) -> Any:
    """torch tensors and chainrule Tensors as arrays of the parameters' dtype; a 0-d one as a
    NumPy scalar, which computes in its dtype as torch's 0-d tensors do."""
    if isinstance(value, (list, tuple)):
        return [_plain(v, dtype) for v in value]
    if isinstance(value, Tensor):
        value = value._data
    elif _foreign_tensor(value):
        value = np.asarray(value)
    if isinstance(value, np.ndarray):
        value = value.astype(dtype, copy=True)
        return value[()] if value.ndim == 0 else value
    return value
