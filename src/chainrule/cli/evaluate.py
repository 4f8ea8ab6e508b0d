"""``chainrule evaluate``: a saved run's model on the test split of the data it was trained on."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .. import io
from ..data import DataLoader, TensorDataset
from ..json_values import finite as _finite, jsonable
from ..train import evaluate
from .run_checks import _run_state, _same_data


def run_evaluate(args: argparse.Namespace) -> int:
    from .train import prepare  # (train.py registers this command: imported when it runs)

    state = _run_state(io.load(args.checkpoint), args.checkpoint, "chainrule evaluate")
    config = dict(state["config"])
    if args.dataset:
        config["dataset"] = args.dataset
    split, _, _, model, loss_fn = prepare(config)
    _same_data(state, split, args.checkpoint, "chainrule evaluate")
    use_best = config["patience"] is not None and isinstance(state.get("best_model"), dict)
    model.load_state_dict(state["best_model"] if use_best else state["model"])
    report = evaluate(
        model,
        DataLoader(TensorDataset(split.X_test, split.y_test), batch_size=1024),
        loss_fn,
        split.task,
    )
    report.update(
        dataset=config["dataset"],
        task=split.task,
        epochs_run=state["epoch"],
        n_test=len(split.X_test),
    )
    _print_report(report, args.json)
    return 0


def _print_report(report: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(_finite(jsonable(report)), indent=2, allow_nan=False))
        return
    print(
        f"test report: {report['dataset']} ({report['task']}, {report['n_test']} samples, "
        f"{report['epochs_run']} epochs)"
    )
    print(f"  loss      {report['loss']:.6f}")
    if report["task"] == "classification":
        for key in ("accuracy", "precision", "recall", "f1"):
            print(
                f"  {key:<9} {report[key]:.4f}" + ("  (macro average)" if key != "accuracy" else "")
            )
        print("  confusion matrix (rows true, columns predicted):")
        for row in report["confusion"]:
            print("    " + " ".join(f"{v:4d}" for v in row))
    else:
        for key in ("mse", "mae", "r2"):
            print(f"  {key:<9} {report[key]:.6f}")
