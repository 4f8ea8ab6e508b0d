"""Optimizer.state as torch code reads it: indexed by the parameter itself.

Inside, each parameter's state is a dict of ndarrays keyed by id(param), which is what the
update loop and the state-dict code use. Programs written for torch look entries up by the
parameter (``optimizer.state[p]["exp_avg"]``, ``p in optimizer.state``) and expect Tensors back,
so a Tensor key is translated to its id and the arrays come back as Tensors sharing their memory.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

import numpy as np


def _key(key: Any) -> Any:
    return key if isinstance(key, int) else id(key)


class ParamState(dict):
    """dict of per-parameter state, keyed by id(param); a parameter works as a key too."""

    def __missing__(self, key: int) -> dict[str, Any]:
        # torch's state is a defaultdict(dict): a custom optimizer fills state[p] on first use
        entries = self[key] = {}
        return entries

    def __getitem__(self, key: Any) -> Any:
        entries = super().__getitem__(_key(key))
        return entries if isinstance(key, int) else StateView(entries)

    def __contains__(self, key: Any) -> bool:
        return super().__contains__(_key(key))

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(_key(key), value)

    def get(self, key: Any, default: Any = None) -> Any:
        return self[key] if key in self else default


class StateView(MutableMapping):
    """One parameter's state with its arrays shown as Tensors that share memory with them."""

    def __init__(self, entries: dict[str, Any]) -> None:
        self._entries = entries

    def __getitem__(self, name: str) -> Any:
        from ..autograd.tensor import Tensor

        value = self._entries[name]
        return Tensor._of(value) if isinstance(value, np.ndarray) else value

    def __setitem__(self, name: str, value: Any) -> None:
        self._entries[name] = getattr(value, "_data", value)

    def __delitem__(self, name: str) -> None:
        del self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
