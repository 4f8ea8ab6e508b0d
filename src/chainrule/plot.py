"""Figures for the tutorial and for training runs; matplotlib, headless (Agg), saved as PNG.

matplotlib is an optional extra (``pip install chainrule[plot]``); each function imports it
when called and says how to install it if it is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise ImportError(
            "chainrule.plot: expected matplotlib to be installed, got none.\n"
            "Hint: pip install 'chainrule[plot]' (or pass --no-plots)."
        ) from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Any, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


def fit_plot(x: np.ndarray, y: np.ndarray, lines: Sequence[tuple[str, float, float]],
             path: str | Path, title: str = "") -> Path:
    """Scatter of (x, y) with each line y = a x + b given as (label, a, b)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4.2))
    ax.scatter(np.ravel(x), np.ravel(y), color="black", s=18, label="data", zorder=3)
    grid = np.linspace(float(np.min(x)) - 0.2, float(np.max(x)) + 0.2, 50)
    for (label, a, b), style in zip(lines, ("-", "--", ":", "-.")):
        ax.plot(grid, a * grid + b, style, lw=2, label=f"{label}: y = {a:.3f} x + {b:.3f}")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return _save(fig, path)


def loss_plot(curves: dict[str, Sequence[float]], path: str | Path, title: str = "",
              log: bool = True, xlabel: str = "step") -> Path:
    """Loss against step for each named curve, on a log scale by default."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4.2))
    for label, values in curves.items():
        ax.plot(np.arange(1, len(values) + 1), values, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return _save(fig, path)


def sigmoid_plot(path: str | Path) -> Path:
    """The sigmoid and its derivative y (1 - y) on [-5, 5], the 0.5 threshold marked."""
    from . import functional as F
    from .autograd.tensor import Tensor

    plt = _pyplot()
    grid = np.linspace(-5, 5, 200)
    x = Tensor(grid, requires_grad=True)
    y = F.sigmoid(x)
    y.sum().backward()
    fig, ax = plt.subplots(figsize=(6, 4.2))
    ax.plot(grid, y.data, lw=2, label="sigmoid(x)")
    ax.plot(grid, x.grad, "--", lw=2, label="d sigmoid / dx = y (1 - y)")
    ax.axhline(0.5, color="gray", lw=0.8)
    ax.set_xlabel("x")
    ax.set_title("Sigmoid and its derivative")
    ax.legend(fontsize=8)
    return _save(fig, path)


def boundary_plot(X: np.ndarray, labels: np.ndarray, lines: Sequence[tuple[str, float, float]],
                  path: str | Path, title: str = "") -> Path:
    """Two-feature points coloured by class, with boundary lines y = a x + b as (label, a, b)."""
    plt = _pyplot()
    labels = np.ravel(labels)
    fig, ax = plt.subplots(figsize=(5.6, 5.2))
    for value, colour in zip(np.unique(labels), ("tab:red", "tab:blue", "tab:green", "tab:orange")):
        chosen = labels == value
        ax.scatter(X[chosen, 0], X[chosen, 1], s=8, color=colour, label=f"class {value}", alpha=0.7)
    grid = np.linspace(X[:, 0].min(), X[:, 0].max(), 50)
    for (label, a, b), style in zip(lines, ("-", "--", ":", "-.")):
        ax.plot(grid, a * grid + b, style, color="black", lw=2, label=f"{label}: y = {a:.3f} x + {b:.3f}")
    ax.set_xlim(X[:, 0].min(), X[:, 0].max())
    ax.set_ylim(X[:, 1].min(), X[:, 1].max())
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    ax.legend(fontsize=7, loc="upper right")
    return _save(fig, path)


def regions_plot(X: np.ndarray, labels: np.ndarray, predict: Callable[[np.ndarray], np.ndarray],
                 path: str | Path, title: str = "") -> Path:
    """Points coloured by class over the regions a classifier assigns to each class."""
    plt = _pyplot()
    xs = np.linspace(X[:, 0].min(), X[:, 0].max(), 200)
    ys = np.linspace(X[:, 1].min(), X[:, 1].max(), 200)
    gx, gy = np.meshgrid(xs, ys)
    regions = predict(np.stack([gx.ravel(), gy.ravel()], axis=1)).reshape(gx.shape)
    fig, ax = plt.subplots(figsize=(5.6, 5.2))
    ax.contourf(gx, gy, regions, alpha=0.25, cmap="viridis", levels=np.arange(regions.max() + 2) - 0.5)
    ax.scatter(X[:, 0], X[:, 1], c=np.ravel(labels), s=8, cmap="viridis", edgecolors="none")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    return _save(fig, path)


def confusion_plot(matrix: np.ndarray, path: str | Path, class_names: Sequence[str] | None = None,
                   title: str = "Confusion matrix") -> Path:
    """Counts of true class (rows) against predicted class (columns)."""
    plt = _pyplot()
    k = matrix.shape[0]
    names = list(class_names) if class_names is not None else [str(i) for i in range(k)]
    fig, ax = plt.subplots(figsize=(1.0 + 0.5 * k, 0.8 + 0.5 * k))
    ax.imshow(matrix, cmap="Blues")
    for i in range(k):
        for j in range(k):
            colour = "white" if matrix[i, j] > matrix.max() / 2 else "black"
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center", color=colour, fontsize=8)
    ax.set_xticks(range(k), names, fontsize=8)
    ax.set_yticks(range(k), names, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    return _save(fig, path)


def learning_curves(history: dict[str, Sequence[float]], path: str | Path, title: str = "") -> Path:
    """Per-epoch training and validation curves: losses on the left, other metrics on the right."""
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for key, values in history.items():
        if not values:
            continue
        epochs = np.arange(1, len(values) + 1)
        (left if "loss" in key else right).plot(epochs, values, marker=".", label=key)
    left.set_yscale("log")
    left.set_xlabel("epoch")
    left.set_ylabel("loss")
    right.set_xlabel("epoch")
    for ax in (left, right):
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    fig.suptitle(title)
    return _save(fig, path)
