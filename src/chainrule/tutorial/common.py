"""What the tutorial's experiments share: their options, and turning results into a report."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..plot_text import language


@dataclass
class Options:
    """--seed seeds the initial weights (the data keep the notebook's seeds); None keeps defaults."""

    seed: int = 123
    steps: int | None = None
    lr: float | None = None
    plots: Path | None = Path("chainrule-tutorial")
    lang: str = "en"  # the report's and the figures' language: "en" or "ja"


def initial_theta(seed: int, shape: tuple[int, ...]) -> np.ndarray:
    """U[0, 1) like the notebook's np.random.random, but from a seeded Generator."""
    return np.random.default_rng(seed).random(shape)


def plot_path(options: Options, name: str) -> Path | None:
    return None if options.plots is None else Path(options.plots) / name


def plots_line(result: dict[str, Any], lang: str) -> str:
    """The report's last line: where the figures went."""
    if result["plots"]:
        return ("図: " if lang == "ja" else "plots: ") + ", ".join(result["plots"].values())
    if _matplotlib_missing():  # said on stderr too, but in English and easy to miss
        if lang == "ja":
            return "図: なし（matplotlib がインストールされていません。図を描くには: pip install 'chainrule[plot]'）"
        return (
            "plots: off (matplotlib is not installed; to get them: pip install 'chainrule[plot]')"
        )
    return "図: なし" if lang == "ja" else "plots: off"


def _matplotlib_missing() -> bool:
    # find_spec, not import: --no-plots should not pay matplotlib's import time
    if "matplotlib" in sys.modules:
        return sys.modules["matplotlib"] is None
    try:
        return importlib.util.find_spec("matplotlib") is None
    except (ImportError, ValueError):  # a finder that refuses it, or a broken install
        return True


def pick(lang: str, en: str, ja: str) -> str:
    """A figure's title in the language it can be drawn in (English without a Japanese font)."""
    return ja if language(lang) == "ja" else en


def precision_rows(result: dict[str, Any]) -> list[str]:
    """The precision table's rows, the same in every language."""
    rows = []
    for row in result["precision_table"]:
        pairs = [
            f"{row[k][0]:.4g}, {row[k][2]:.4g}"
            for k in ("naive", "softmax_then_log", "log_softmax")
        ]
        rows.append(
            f"  {row['scale']:4d}   {pairs[0]:>20}   {pairs[1]:>18}   {pairs[2]:>16}      "
            f"{row['softmax_then_log_grad_finite']!s:>5} / {row['log_softmax_grad_finite']!s}"
        )
    return rows
