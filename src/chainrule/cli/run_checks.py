"""What ``chainrule train`` checks before it runs: the options of a run, a resumed run's saved
configuration and data, and whether the data fits in memory."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import numpy as np

from ..data.bundled import BUNDLED
from ..errors import CheckpointError
from ..optim.hyperparameters import check_hyperparameters
from .usage import UsageError

# Options that define a run. Their parser defaults are None so that an option the user typed can
# be told from one left out: MLP options with --model linear, or options that --resume would ignore.
RUN_OPTIONS = (
    "dataset",
    "target",
    "task",
    "model",
    "hidden",
    "activation",
    "dropout",
    "batch_norm",
    "optimizer",
    "lr",
    "momentum",
    "weight_decay",
    "batch_size",
    "test_size",
    "val_size",
    "patience",
    "dtype",
    "seed",
    "data_dir",
)
MLP_OPTIONS = ("hidden", "activation", "dropout", "batch_norm")
DEFAULTS: dict[str, Any] = {}
CHOICES: dict[str, Any] = {}


def _check(config: dict[str, Any]) -> None:
    """Run options checked before anything is built; the optimizer's hyperparameters (lr, ...)
    follow the one rule in optim/hyperparameters.py."""
    check_hyperparameters(f"--optimizer {config['optimizer']}", {"lr": config["lr"]})
    patience = config["patience"]
    rules = [
        ("epochs", config["epochs"] >= 1, "a positive integer"),
        ("seed", config["seed"] >= 0, "a non-negative integer"),
        ("patience", patience is None or patience >= 1, "a positive number of epochs"),
        ("batch-size", config["batch_size"] >= 1, "a positive integer"),
        ("test-size", 0 < config["test_size"] < 1, "a fraction in (0, 1)"),
        ("val-size", 0 <= config["val_size"] < 1, "a fraction in [0, 1)"),
        ("dropout", 0 <= config["dropout"] < 1, "a probability in [0, 1)"),
    ]
    for name, ok, expected in rules:
        if not ok:
            value = config[name.replace("-", "_")]
            raise UsageError(f"chainrule train: --{name}: expected {expected}, got {value}")
    if patience is not None and config["val_size"] == 0:
        raise UsageError(
            "chainrule train: --patience: expected a validation split to watch, got --val-size 0"
        )


def _contradictions(args: argparse.Namespace, config: dict[str, Any]) -> None:
    """Options that would be silently ignored are refused instead."""
    if args.momentum is not None and config["optimizer"] not in ("sgd", "rmsprop"):
        raise UsageError(
            f"chainrule train: --momentum: expected --optimizer sgd or rmsprop, got --optimizer "
            f"{config['optimizer']} (Hint: drop --momentum; adam's betas play its part)"
        )
    if args.target is not None and config["dataset"] in BUNDLED:
        raise UsageError(
            f"chainrule train: --target: expected a .csv dataset, got the bundled set "
            f"{config['dataset']!r}, whose target is fixed"
        )
    if args.data_dir is not None and config["dataset"] != "mnist":
        raise UsageError(
            f"chainrule train: --data-dir: expected --dataset mnist, got --dataset "
            f"{config['dataset']} (Hint: drop --data-dir; it is read for MNIST only)"
        )
    typed = [name for name in MLP_OPTIONS if getattr(args, name) is not None]
    if config["model"] == "linear" and typed:
        raise UsageError(
            f"chainrule train: --model linear: expected no MLP options, got "
            f"{', '.join('--' + n.replace('_', '-') for n in typed)} (Hint: use --model mlp)"
        )


def _resumed_config(args: argparse.Namespace, state: dict[str, Any]) -> dict[str, Any]:
    """The saved run's options; an option typed again must agree with them (the checkpoint wins)."""
    config = dict(state["config"])
    for name in RUN_OPTIONS:
        typed = getattr(args, name)
        if typed is not None and typed != config.get(name):
            raise UsageError(
                f"chainrule train --resume: expected options that match the checkpoint, got "
                f"--{name.replace('_', '-')} {typed} where the run has {config.get(name)} "
                "(Hint: with --resume pass only --epochs, --save, --plot, --json, --quiet)"
            )
    config["epochs"] = args.epochs if args.epochs is not None else config["epochs"]
    config["save"] = str(args.save) if args.save else config.get("save")
    return config


_SCHEMA: dict[str, tuple] = {
    "dataset": (str,),
    "target": (str, type(None)),
    "task": (str,),
    "model": (str,),
    "hidden": (list,),
    "activation": (str,),
    "dropout": (int, float),
    "batch_norm": (bool,),
    "optimizer": (str,),
    "lr": (int, float),
    "momentum": (int, float),
    "weight_decay": (int, float),
    "epochs": (int,),
    "batch_size": (int,),
    "test_size": (int, float),
    "val_size": (int, float),
    "patience": (int, type(None)),
    "dtype": (str,),
    "seed": (int,),
    "save": (str, type(None)),
    "data_dir": (str, type(None)),
}


def _run_state(state: Any, path: Path, who: str) -> dict[str, Any]:
    """A checkpoint written by chainrule train, its header checked before anything is built from it."""

    def bad(expected: str, got: str) -> CheckpointError:
        return CheckpointError(f"{who}: expected {expected} in {path}, got {got}.")

    if not isinstance(state, dict) or state.get("kind") != "chainrule-train-run":
        raise UsageError(f"{who}: expected a checkpoint written by chainrule train, got {path}")
    for key, kind in (
        ("config", dict),
        ("model", dict),
        ("optimizer", dict),
        ("epoch", int),
        ("history", dict),
    ):
        if not isinstance(state.get(key), kind) or isinstance(state.get(key), bool):
            raise bad(f"{key!r} as a {kind.__name__}", type(state.get(key)).__name__)
    config = state["config"]
    for key, kinds in _SCHEMA.items():
        value = config.get(key)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise bad(
                f"config.{key} of type {' or '.join(k.__name__ for k in kinds)}", repr(value)[:40]
            )
        if key in CHOICES and value not in CHOICES[key]:
            raise bad(f"config.{key} in {sorted(CHOICES[key])}", repr(value)[:40])
    if not all(isinstance(h, int) and not isinstance(h, bool) and h >= 1 for h in config["hidden"]):
        raise bad("config.hidden as positive integers", repr(config["hidden"])[:40])
    try:
        _check(config)
    except UsageError as error:
        raise bad("a valid config", str(error).split(": ", 2)[-1]) from None
    dtypes = {
        np.asarray(v).dtype for v in state["model"].values() if np.asarray(v).dtype.kind == "f"
    }
    if dtypes - {np.dtype(config["dtype"])}:
        raise bad(
            f"{config['dtype']} weights as its config says", f"{sorted(str(d) for d in dtypes)}"
        )
    return state


def _check_size(
    in_features: int, out_features: int, hidden: list[int], config: dict[str, Any], samples: int
) -> None:
    """Refuse a model that cannot fit in memory before NumPy tries to allocate it."""
    widths = [in_features, *hidden, out_features]
    params = sum((a + 1) * b for a, b in zip(widths, widths[1:]))
    itemsize = np.dtype(config["dtype"]).itemsize
    # weights, gradients and two optimizer moments, plus a few activations per layer per batch
    # a batch is never larger than the data, whatever --batch-size says
    needed = 4 * params * itemsize + 4 * min(config["batch_size"], samples) * sum(widths) * itemsize
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        memory = 16 << 30
    if needed > memory:
        raise UsageError(
            f"chainrule train: --hidden: expected a model that fits in memory ({memory / 2**30:.0f} GiB), "
            f"got {params:.3g} parameters needing about {needed / 2**30:.0f} GiB"
        )


def _same_data(state: dict[str, Any], split, path: Path, who: str) -> None:
    """The data must be the data the checkpoint was trained on: same columns, classes and statistics."""
    for key, mine in (
        ("features", split.feature_names),
        ("classes", split.class_names),
        ("task", split.task),
    ):
        if state.get(key) is not None and state[key] != mine:
            raise UsageError(
                f"{who}: expected the data {path.name} was trained on, got different {key} "
                f"({_short(mine)} instead of {_short(state[key])})"
            )
    saved = state.get("standardizer")
    if saved is not None and split.standardizer is not None:
        mean = np.asarray(saved.get("mean")) if isinstance(saved, dict) else None
        if (
            mean is None
            or mean.shape != split.standardizer.mean.shape
            or not np.allclose(mean, split.standardizer.mean)
        ):
            raise UsageError(
                f"{who}: expected the data {path.name} was trained on, got a data set whose "
                "training split has different statistics"
            )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
