"""Results as plain JSON values, for the commands that print reports (train, tutorial)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np


def jsonable(value: Any) -> Any:
    """Plain Python numbers and lists, so json.dumps accepts the result.

    >>> import numpy as np
    >>> jsonable({"loss": np.float32(0.5), "shape": (2, 3), "w": np.array([1, 2])})
    {'loss': 0.5, 'shape': [2, 3], 'w': [1, 2]}
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    return value


def finite(value: Any) -> Any:
    """JSON has no NaN or Infinity: a non-finite number becomes null (json.dumps would print
    NaN, which no JSON parser but Python's accepts).

    >>> finite({"loss": float("nan"), "r2": [1.0, float("-inf")]})
    {'loss': None, 'r2': [1.0, None]}
    """
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    return value
