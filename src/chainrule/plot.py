"""Figures for the tutorial and for training runs, saved as PNG.

matplotlib is an optional extra (``pip install 'chainrule[plot]'``); each function imports it
when called and says how to install it if it is missing. Figures are built on
``matplotlib.figure.Figure`` rather than pyplot, so drawing one changes no global state (no
backend switch, nothing left open). Every function takes ``path``: with a path it writes the
PNG and returns the path, with ``path=None`` it returns the Figure (for tests and notebooks).
``lang="ja"`` labels the axes in Japanese, in a font with Japanese glyphs (see ``japanese_font``).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from .functional.activation import Sigmoid
from .plot_text import font_family, word

COLOURS = ("tab:red", "tab:blue", "tab:green", "tab:orange")


def _figure(figsize: tuple[float, float], lang: str) -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError(
            "chainrule.plot: expected matplotlib to be installed, got none.\n"
            "Hint: pip install 'chainrule[plot]' (or pass --no-plots)."
        ) from None
    fig = Figure(figsize=figsize)
    fig._chainrule_family = font_family(lang)  # applied while saving, when the text is laid out
    return fig


def _finish(fig: Any, path: str | Path | None) -> Any:
    import matplotlib
    from matplotlib.text import Text

    family = fig._chainrule_family
    if family:  # a Text keeps the font it was made with, so the labels are set one by one
        for text in fig.findobj(Text):
            text.set_fontfamily(family)
    with matplotlib.rc_context({"font.family": family} if family else {}):
        if path is None:
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            FigureCanvasAgg(fig).draw()  # lay the text out now, in the right font
            return fig
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=110, bbox_inches="tight")
    return path


def _subplot(figsize: tuple[float, float], lang: str) -> tuple[Any, Any]:
    fig = _figure(figsize, lang)
    return fig, fig.subplots()


def fit_plot(
    x: np.ndarray,
    y: np.ndarray,
    lines: Sequence[tuple[str, float, float]],
    path: str | Path | None,
    title: str = "",
    lang: str = "en",
) -> Any:
    """Scatter of (x, y) with each line y = a x + b given as (label, a, b)."""
    fig, ax = _subplot((6, 4.2), lang)
    ax.scatter(np.ravel(x), np.ravel(y), color="black", s=18, label=word("data", lang), zorder=3)
    grid = np.linspace(float(np.min(x)) - 0.2, float(np.max(x)) + 0.2, 50)
    for (label, a, b), style in zip(lines, ("-", "--", ":", "-.")):
        ax.plot(grid, a * grid + b, style, lw=2, label=f"{label}: y = {a:.3f} x + {b:.3f}")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return _finish(fig, path)


def loss_plot(
    curves: dict[str, Sequence[float]],
    path: str | Path | None,
    title: str = "",
    log: bool = True,
    xlabel: str | None = None,
    caption: str = "",
    lang: str = "en",
) -> Any:
    """Loss against step for each named curve, on a log scale by default; ``caption`` goes below."""
    fig, ax = _subplot((6, 4.4 if caption else 4.2), lang)
    for label, values in curves.items():
        ax.plot(np.arange(1, len(values) + 1), values, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel or word("step", lang))
    ax.set_ylabel(word("loss", lang))
    ax.set_title(title)
    ax.legend(fontsize=8)
    if caption:
        ax.text(0.0, -0.16, _wrap(caption), transform=ax.transAxes, fontsize=8, va="top")
    return _finish(fig, path)


def _wrap(text: str, width: int = 95) -> str:
    """Lines of about ``width`` columns; Japanese has no spaces to break at, and counts double."""
    if text.isascii():
        return textwrap.fill(text, width)
    step = width // 2
    return "\n".join(text[i : i + step] for i in range(0, len(text), step))


def sigmoid_plot(path: str | Path | None, lang: str = "en") -> Any:
    """The sigmoid and its derivative y (1 - y) on [-5, 5], the 0.5 threshold marked."""
    grid = np.linspace(-5, 5, 201)
    ctx = Sigmoid()  # the Function's own forward and backward, called on arrays as manual does
    y = Sigmoid.forward(ctx, grid)
    slope = Sigmoid.backward(ctx, np.ones_like(grid))
    fig, ax = _subplot((6, 4.2), lang)
    ax.plot(grid, y, lw=2, label="sigmoid(x) = 1 / (1 + exp(-x))")
    ax.plot(grid, slope, "--", lw=2, label="d sigmoid / dx = y (1 - y)")
    ax.axhline(0.5, color="gray", lw=0.8)
    ax.set_xlabel("x")
    ax.set_ylabel(word("sigmoid_y", lang))
    ax.set_title(word("sigmoid_title", lang))
    ax.legend(fontsize=8, loc="upper left")
    return _finish(fig, path)


def _limits(values: np.ndarray, margin: float = 0.05) -> tuple[float, float]:
    low, high = float(np.min(values)), float(np.max(values))
    pad = margin * (high - low or 1.0)
    return low - pad, high + pad


def boundary_plot(
    X: np.ndarray,
    labels: np.ndarray,
    lines: Sequence[tuple[str, float, float]],
    path: str | Path | None,
    title: str = "",
    n_train: int | None = None,
    lang: str = "en",
) -> Any:
    """Two-feature points coloured by class (the first ``n_train`` as dots, the rest as crosses),
    with boundary lines y = a x + b as (label, a, b); the key sits beside the plot, off the data."""
    labels = np.ravel(labels)
    n_train = len(X) if n_train is None else n_train
    fig, ax = _subplot((7.6, 5.0), lang)
    train = np.arange(len(X)) < n_train
    for value, colour in zip(np.unique(labels), COLOURS):
        chosen = labels == value
        ax.scatter(
            X[chosen & train, 0],
            X[chosen & train, 1],
            s=8,
            color=colour,
            alpha=0.5,
            label=f"{word('class', lang)} {value} ({word('train', lang)})",
        )
        if (chosen & ~train).any():
            ax.scatter(
                X[chosen & ~train, 0],
                X[chosen & ~train, 1],
                s=36,
                color=colour,
                marker="x",
                linewidths=1.5,
                label=f"{word('class', lang)} {value} ({word('test', lang)})",
            )
    (x0, x1), (y0, y1) = _limits(X[:, 0]), _limits(X[:, 1])
    grid = np.linspace(x0, x1, 50)
    for (label, a, b), style in zip(lines, ("-", "--", ":", "-.")):
        ax.plot(
            grid,
            a * grid + b,
            style,
            color="black",
            lw=2,
            label=f"{label}: y = {a:.3f} x + {b:.3f}",
        )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    return _finish(fig, path)


def regions_plot(
    X: np.ndarray,
    labels: np.ndarray,
    predict: Callable[[np.ndarray], np.ndarray],
    path: str | Path | None,
    title: str = "",
    lang: str = "en",
) -> Any:
    """Points coloured by class over the regions a classifier assigns to each class, with a key."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    labels = np.ravel(labels)
    classes = int(max(labels.max(), 0)) + 1
    colours = ListedColormap(list(COLOURS[:classes]))
    (x0, x1), (y0, y1) = _limits(X[:, 0]), _limits(X[:, 1])
    gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
    regions = predict(np.stack([gx.ravel(), gy.ravel()], axis=1)).reshape(gx.shape)
    fig, ax = _subplot((7.2, 5.0), lang)
    levels = np.arange(classes + 1) - 0.5
    ax.contourf(gx, gy, regions, alpha=0.2, cmap=colours, levels=levels)
    handles = []
    for value in range(classes):
        chosen = labels == value
        handles.append(
            ax.scatter(
                X[chosen, 0],
                X[chosen, 1],
                s=8,
                color=COLOURS[value],
                label=f"{word('class', lang)} {value}",
            )
        )
        handles.append(
            Patch(color=COLOURS[value], alpha=0.2, label=f"{word('region', lang)} {value}")
        )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    ax.legend(
        handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0
    )
    return _finish(fig, path)


def confusion_plot(
    matrix: np.ndarray,
    path: str | Path | None,
    class_names: Sequence[str] | None = None,
    title: str | None = None,
    lang: str = "en",
) -> Any:
    """Counts of true class (rows) against predicted class (columns)."""
    matrix = np.asarray(matrix)
    k = matrix.shape[0]
    names = list(class_names) if class_names is not None else [str(i) for i in range(k)]
    fig, ax = _subplot((2.2 + 0.5 * k, 1.8 + 0.5 * k), lang)
    ax.imshow(matrix, cmap="Blues")
    for i in range(k):
        for j in range(k):
            colour = "white" if matrix[i, j] > matrix.max() / 2 else "black"
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center", color=colour, fontsize=9)
    ax.set_xticks(range(k), names, fontsize=8)
    ax.set_yticks(range(k), names, fontsize=8)
    ax.set_xlabel(word("predicted", lang))
    ax.set_ylabel(word("true", lang))
    ax.set_title(title if title is not None else word("confusion", lang), fontsize=10)
    return _finish(fig, path)


def learning_curves(
    history: dict[str, Sequence[float]], path: str | Path | None, title: str = "", lang: str = "en"
) -> Any:
    """Per-epoch training and validation curves: losses on the left, other metrics on the right."""
    fig = _figure((10, 4), lang)
    left, right = fig.subplots(1, 2)
    for key, values in history.items():
        if not values:
            continue
        epochs = np.arange(1, len(values) + 1)
        (left if "loss" in key else right).plot(epochs, values, marker=".", label=key)
    left.set_yscale("log")
    left.set_xlabel(word("epoch", lang))
    left.set_ylabel(word("loss", lang))
    right.set_xlabel(word("epoch", lang))
    right.set_ylabel(word("metric", lang))
    for ax in (left, right):
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    fig.suptitle(title)
    return _finish(fig, path)
