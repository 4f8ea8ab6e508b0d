"""MNIST (or Fashion-MNIST) from a folder of the four standard IDX files, as a ready Split."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .bundled import Split
from .files import load_mnist
from .standardize import Standardizer

FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def _find(folder: Path, stem: str) -> Path:
    """The file under its usual names: raw or .gz, with '-idx' or '.idx' (both are in circulation)."""
    if not folder.is_dir():
        got = "no such folder" if not folder.exists() else "a file, not a folder"
        raise NotADirectoryError(
            f"load_mnist_folder: expected a folder holding the MNIST IDX files at {folder}, got {got}."
        )
    for name in (stem, stem.replace("-idx", ".idx")):
        for suffix in ("", ".gz"):
            if (folder / (name + suffix)).is_file():
                return folder / (name + suffix)
    raise FileNotFoundError(
        f"load_mnist_folder({str(folder)!r}): expected a file named {stem} (or {stem}.gz), "
        f"got none in that folder.\nHint: download the four MNIST IDX files into it."
    )


def load_mnist_folder(
    folder: str | Path, dtype: Any = np.float32, standardize: bool = True
) -> Split:
    """The official 60000/10000 split, pixels in [0, 1], standardized with one mean and one std
    of the training pixels (per image, not per pixel, so a CNN sees the picture unchanged).

    Rows are flat (n, 784); ``chainrule.models.cnn`` unflattens them to (1, 28, 28).
    """
    folder = Path(folder)
    X_train, y_train = load_mnist(*(_find(folder, f) for f in FILES["train"]))
    X_test, y_test = load_mnist(*(_find(folder, f) for f in FILES["test"]))
    if X_test.shape[1] != X_train.shape[1]:
        raise ValueError(
            f"load_mnist_folder({str(folder)!r}): expected test images of the training images' "
            f"size ({X_train.shape[1]} pixels), got {X_test.shape[1]} pixels.\nHint: are the "
            "four files from one data set?"
        )
    X_train, X_test = X_train.astype(dtype), X_test.astype(dtype)
    standardizer = None
    if standardize:
        std = X_train.std()
        standardizer = Standardizer(
            np.asarray(X_train.mean(), dtype=dtype),
            np.asarray(std if std > 0 else 1.0, dtype=dtype),
        )
        X_train, X_test = standardizer.transform(X_train), standardizer.transform(X_test)
    pixels = [f"pixel{i}" for i in range(X_train.shape[1])]
    classes = [str(c) for c in range(int(max(y_train.max(initial=0), y_test.max(initial=0))) + 1)]
    return Split(
        X_train, y_train, X_test, y_test, "classification", "mnist", pixels, classes, standardizer
    )
