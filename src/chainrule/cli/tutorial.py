"""``chainrule tutorial [regression|classification|softmax]``: the notebook's experiments."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..tutorial import EXPERIMENTS, Options
from ..tutorial.common import jsonable
from .usage import UsageError


def add_parser(commands) -> None:
    parser = commands.add_parser("tutorial", help="run the notebook's experiments",
                                 description="Run the notebook's experiments and print a report.")
    parser.add_argument("experiment", nargs="?", choices=sorted(EXPERIMENTS),
                        help="one experiment (default: all, in the notebook's order)")
    parser.add_argument("--seed", type=int, default=123, help="seed of the initial weights (default 123)")
    parser.add_argument("--steps", type=int, default=None, help="gradient-descent steps (default: the notebook's)")
    parser.add_argument("--lr", type=float, default=None, help="learning rate (default: the notebook's)")
    parser.add_argument("--plots", type=Path, default=Path("chainrule-tutorial"),
                        help="folder for the PNG figures (default chainrule-tutorial/)")
    parser.add_argument("--no-plots", action="store_true", help="write no figures")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the report")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.steps is not None and args.steps < 1:
        raise UsageError(f"chainrule tutorial: --steps: expected a positive integer, got {args.steps}")
    if args.lr is not None and not (args.lr > 0):
        raise UsageError(f"chainrule tutorial: --lr: expected a positive number, got {args.lr}")
    options = Options(seed=args.seed, steps=args.steps, lr=args.lr,
                      plots=None if args.no_plots else args.plots)
    names = [args.experiment] if args.experiment else ["regression", "classification", "softmax"]
    results = {name: EXPERIMENTS[name].run(options) for name in names}
    if args.json:
        payload = results[names[0]] if len(names) == 1 else results
        print(json.dumps(jsonable(_without_curves(payload)), indent=2))
        return 0
    for name in names:
        print("\n".join(EXPERIMENTS[name].report(results[name])))
        print()
    return 0


def _without_curves(payload: dict) -> dict:
    """Loss curves are long; the JSON keeps their length and last value only."""
    out = {}
    for key, value in payload.items():
        if key == "losses":
            out["loss_curve_length"] = len(value)
        elif isinstance(value, dict):
            out[key] = _without_curves(value)
        else:
            out[key] = value
    return out
