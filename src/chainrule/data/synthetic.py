"""The notebook's two synthetic data sets, reproduced bit for bit from Python's ``random``.

Each generator seeds its own ``random.Random`` (never the global one) and makes the draws in
the notebook's order, so the same seed gives exactly the notebook's numbers.
"""

from __future__ import annotations

import random

import numpy as np


def make_line(
    n: int = 10,
    slope: float = 2.0,
    intercept: float = 3.0,
    noise: float = 1.0,
    x_max: float = 5.0,
    seed: int = 100,
) -> tuple[np.ndarray, np.ndarray]:
    """Points on y = slope x + intercept + N(0, noise^2), x uniform in [0, x_max).

    Returns x and y, each of shape (n, 1). Defaults are the notebook's section 1.2.
    """
    draw = random.Random(seed)
    xs, ys = [], []
    for _ in range(n):
        x = draw.random() * x_max
        y = slope * x + intercept + draw.normalvariate(0, noise)
        xs.append([x])
        ys.append([y])
    return np.array(xs), np.array(ys)


def with_ones_column(x: np.ndarray) -> np.ndarray:
    """[1, x]: the notebook's design matrix, whose first column multiplies the intercept."""
    x = np.asarray(x, dtype=float)
    return np.concatenate([np.ones_like(x[:, :1]), x], axis=1)


def make_fuzzy_boundary(
    n: int = 1000,
    slope: float = -1.0,
    intercept: float = 3.0,
    band: float = 0.5,
    size: float = 3.0,
    seed: int = 100,
) -> tuple[np.ndarray, np.ndarray]:
    """Points in [0, size)^2 labelled by the side of y = slope x + intercept they fall on.

    Inside a band of half-width ``band`` around the line the label is random: the chance of
    class 1 rises linearly from 0 to 1 across the band. Returns X (n, 2) and T (n, 1) of 0/1.
    Defaults are the notebook's section 2.
    """
    draw = random.Random(seed)
    points, labels = [], []
    for _ in range(n):
        x = draw.random() * size
        y = draw.random() * size
        offset = y - (slope * x + intercept)
        if offset < -band:
            label = 0
        elif offset > band:
            label = 1
        else:
            label = 0 if draw.random() > offset + band else 1
        points.append([x, y])
        labels.append([label])
    return np.array(points), np.array(labels)


def make_three_bands(
    n: int = 1000,
    slope: float = -1.0,
    intercept: float = 3.0,
    gap: float = 0.75,
    band: float = 0.25,
    size: float = 3.0,
    seed: int = 100,
) -> tuple[np.ndarray, np.ndarray]:
    """A three-class cousin of make_fuzzy_boundary for the softmax exercise.

    Class 0 lies below y = slope x + intercept - gap, class 2 above ... + gap, class 1 between,
    with fuzzy edges of half-width ``band``. Returns X (n, 2) and labels (n,) in {0, 1, 2}.
    """
    draw = random.Random(seed)
    points, labels = [], []
    for _ in range(n):
        x = draw.random() * size
        y = draw.random() * size
        offset = y - (slope * x + intercept)
        label = 0
        for edge in (-gap, gap):
            distance = offset - edge
            if distance > band or (
                abs(distance) <= band and draw.random() <= distance / (2 * band) + 0.5
            ):
                label += 1
        points.append([x, y])
        labels.append(label)
    return np.array(points), np.array(labels, dtype=np.int64)


def split_in_order(*arrays: np.ndarray, train_fraction: float = 0.9) -> list[np.ndarray]:
    """Split each array into its first int(len * fraction) rows and the rest, as the notebook does."""
    cut = int(len(arrays[0]) * train_fraction)
    out: list[np.ndarray] = []
    for array in arrays:
        out.extend([array[:cut], array[cut:]])
    return out
