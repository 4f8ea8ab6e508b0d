"""What the tutorial's experiments share: their options, and turning results into a report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


@dataclass
class Options:
    """--seed seeds the initial weights (the data keep the notebook's seeds); None keeps defaults."""

    seed: int = 123
    steps: int | None = None
    lr: float | None = None
    plots: Path | None = Path("chainrule-tutorial")


def initial_theta(seed: int, shape: tuple[int, ...]) -> np.ndarray:
    """U[0, 1) like the notebook's np.random.random, but from a seeded Generator."""
    return np.random.default_rng(seed).random(shape)


def plot_path(options: Options, name: str) -> Path | None:
    return None if options.plots is None else Path(options.plots) / name


def jsonable(value: Any) -> Any:
    """Plain Python numbers and lists, so json.dumps accepts the result."""
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
