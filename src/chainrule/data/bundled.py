"""Real data that works offline: scikit-learn's bundled sets, and a user's own files, behind one
loader with a fixed, seeded (and, for classes, stratified) train/test split."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._checks import fail_value
from ..random import as_generator
from .files import load_csv
from .standardize import Standardizer

BUNDLED = {
    "digits": ("load_digits", "classification"),
    "iris": ("load_iris", "classification"),
    "wine": ("load_wine", "classification"),
    "breast_cancer": ("load_breast_cancer", "classification"),
    "diabetes": ("load_diabetes", "regression"),
}


@dataclass
class Split:
    """A train/test split ready for training; ``standardizer`` was fitted on X_train only."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    task: str
    name: str
    feature_names: list[str] = field(default_factory=list)
    class_names: list[str] = field(default_factory=list)
    standardizer: Standardizer | None = None

    @property
    def num_features(self) -> int:
        return self.X_train.shape[1]

    @property
    def num_classes(self) -> int:
        return len(self.class_names) if self.task == "classification" else 0


def _sklearn_dataset(name: str) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    try:
        from sklearn import datasets
    except ImportError:
        raise ImportError(
            f"load_dataset({name!r}): expected scikit-learn for the bundled data sets, got none.\n"
            "Hint: pip install 'chainrule[datasets]'."
        ) from None
    bunch = getattr(datasets, BUNDLED[name][0])()
    names = (
        [str(n) for n in getattr(bunch, "target_names", [])]
        if BUNDLED[name][1] == "classification"
        else []
    )
    features = [str(f) for f in getattr(bunch, "feature_names", [])] or [
        f"x{i}" for i in range(bunch.data.shape[1])
    ]
    return np.asarray(bunch.data, dtype=np.float64), np.asarray(bunch.target), features, names


def stratified_split(
    y: np.ndarray, test_size: float, seed: int, stratify: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Indices of train and test: each class keeps its share in both when ``stratify``."""
    rng = as_generator(int(seed))
    if not stratify:
        order = rng.permutation(len(y))
        n_test = int(round(test_size * len(y)))
        return np.sort(order[n_test:]), np.sort(order[:n_test])
    train, test = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_test = int(round(test_size * len(members)))
        test.append(members[:n_test])
        train.append(members[n_test:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def load_dataset(
    name: str,
    test_size: float = 0.2,
    seed: int = 0,
    standardize: bool = True,
    target: str | None = None,
    task: str = "auto",
    dtype: Any = np.float32,
) -> Split:
    """A bundled set by name ('digits', 'iris', 'wine', 'breast_cancer', 'diabetes') or a CSV
    file path (with ``target`` naming its label column), split and standardized.

    >>> split = load_dataset("iris", seed=0)
    >>> split.X_train.shape, split.X_test.shape, split.num_classes
    ((120, 4), (30, 4), 3)
    """
    if not 0.0 < test_size < 1.0:
        fail_value("load_dataset", "test_size in (0, 1)", repr(test_size))
    if name in BUNDLED:
        X, y, features, classes = _sklearn_dataset(name)
        kind = BUNDLED[name][1]
    elif name.lower().endswith(".csv") or Path(name).exists():
        if target is None and Path(name).is_file():  # a missing file is the error to report first
            fail_value(
                f"load_dataset({name!r})",
                "target= naming the label column of the CSV",
                "none",
                "pass --target COLUMN on the command line.",
            )
        X, y, features = load_csv(name, target)
        kind = task if task != "auto" else _guess_task(y)
        classes = []
        if kind == "classification":
            values, y = np.unique(y, return_inverse=True)
            classes = [str(int(v)) if float(v).is_integer() else str(v) for v in values]
    else:
        known = ", ".join(sorted(BUNDLED))
        fail_value("load_dataset", f"one of {known} or a path to a .csv file", repr(name))
    if task != "auto" and task != kind and name in BUNDLED:
        fail_value(f"load_dataset({name!r})", f"task {kind!r} for this data set", repr(task))
    y = y.astype(np.int64) if kind == "classification" else y.astype(dtype).reshape(-1, 1)
    train, test = stratified_split(
        y.reshape(-1) if kind == "classification" else y[:, 0],
        test_size,
        seed,
        stratify=kind == "classification",
    )
    for split_name, rows in (("training", train), ("test", test)):
        if len(rows) == 0:
            fail_value(
                f"load_dataset({name!r})",
                f"at least one sample in the {split_name} split",
                f"none of {len(y)} with test_size={test_size}",
                "pick a test_size nearer 0.2"
                + (" (each class is split on its own)" if kind == "classification" else ""),
            )
    X = X.astype(dtype)
    X_train, X_test = X[train], X[test]
    standardizer = None
    if standardize:
        standardizer = Standardizer().fit(X_train)
        X_train, X_test = standardizer.transform(X_train), standardizer.transform(X_test)
    return Split(X_train, y[train], X_test, y[test], kind, name, features, classes, standardizer)


def _guess_task(y: np.ndarray) -> str:
    """Integer targets with at most 20 distinct values are classes; anything else is regression."""
    integral = np.all(np.equal(np.mod(y, 1), 0))
    return "classification" if integral and len(np.unique(y)) <= 20 else "regression"
