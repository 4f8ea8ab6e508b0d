"""``chainrule tutorial [regression|classification|softmax|pytorch]``: the notebook's experiments."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from ..tutorial import EXPERIMENTS, Options
from ..json_values import finite, jsonable
from .arguments import integer, number
from .usage import UsageError

NOTEBOOK_ORDER = ["regression", "classification", "softmax"]
# the notebook takes 100 and 1000 steps; 100000 run about a minute per experiment, and the
# pytorch comparison (three trainings) about seven: a larger number is a typo, not a plan
MAX_STEPS = 100_000


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "tutorial",
        help="run the notebook's experiments",
        description="Run the notebook's experiments and print a report.",
    )
    parser.add_argument(
        "experiment",
        nargs="?",
        choices=sorted(EXPERIMENTS),
        help="one experiment (default: all but pytorch, in the notebook's order)",
    )
    parser.add_argument(
        "--seed", type=integer, default=123, help="seed of the initial weights (default 123)"
    )
    parser.add_argument(
        "--steps",
        type=integer,
        default=None,
        help=f"gradient-descent steps, at most {MAX_STEPS} (default: the notebook's)",
    )
    parser.add_argument(
        "--lr", type=number, default=None, help="learning rate (default: the notebook's)"
    )
    parser.add_argument(
        "--plots",
        type=Path,
        default=Path("chainrule-tutorial"),
        help="folder for the PNG figures (default chainrule-tutorial/)",
    )
    parser.add_argument("--no-plots", action="store_true", help="write no figures")
    parser.add_argument(
        "--lang",
        choices=["en", "ja"],
        default="en",
        help="language of the report and the figures' labels (default en)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object instead of the report"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.steps is not None and not 1 <= args.steps <= MAX_STEPS:
        raise UsageError(
            f"chainrule tutorial: --steps: expected an integer in [1, {MAX_STEPS}], got {args.steps}"
            + (" (Hint: the notebook takes 100 and 1000 steps)" if args.steps > 0 else "")
        )
    if args.lr is not None and not (args.lr > 0):
        raise UsageError(f"chainrule tutorial: --lr: expected a positive number, got {args.lr}")
    if not 0 <= args.seed < 2**32:  # the notebook seeds Python's random and NumPy with it
        raise UsageError(
            f"chainrule tutorial: --seed: expected an integer in [0, 2**32), got {args.seed}"
        )
    names = [args.experiment] if args.experiment else NOTEBOOK_ORDER
    plots = None if args.no_plots or names == ["pytorch"] else _plots_folder(args.plots, args.lang)
    options = Options(seed=args.seed, steps=args.steps, lr=args.lr, plots=plots, lang=args.lang)
    results = {name: _run(name, options) for name in names}
    if args.json:
        payload = results[names[0]] if len(names) == 1 else results
        print(json.dumps(finite(jsonable(_without_curves(payload))), indent=2, allow_nan=False))
        return 0
    for name in names:
        print("\n".join(EXPERIMENTS[name].report(results[name], args.lang)))
        print()
    if names == NOTEBOOK_ORDER:
        print(
            "次は: chainrule tutorial pytorch (同じ2つのモデルを PyTorch と比べる)"
            if args.lang == "ja"
            else "Next: chainrule tutorial pytorch (the same two models side by side with PyTorch)"
        )
    return 0


def _run(name: str, options: Options) -> dict:
    """One experiment; an overflow or a NaN stops it, since its report would print nonsense."""
    # The notebook's own settings never overflow (the tests run them with warnings as errors),
    # so any floating-point warning means --lr or --steps sent the descent off to infinity.
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            return EXPERIMENTS[name].run(options)
    except FloatingPointError as error:
        raise UsageError(
            f"chainrule tutorial {name}: expected gradient descent to stay finite, got "
            f"{str(error).splitlines()[0]} with "
            + (f"--lr {options.lr}" if options.lr is not None else "the notebook's lr")
            + " (Hint: a smaller --lr, or leave it out for the notebook's)"
        ) from None


def _plots_folder(folder: Path, lang: str) -> Path | None:
    """The figures' folder, or None with one line on stderr saying how to get figures."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            f"chainrule tutorial: --plots: expected a folder for the figures, got the file {folder}"
        )
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print(
            "注: matplotlib が入っていないので図は省きました。図を出すには: pip install 'chainrule[plot]'"
            if lang == "ja"
            else "note: figures skipped (matplotlib is not installed); to get them: "
            "pip install 'chainrule[plot]'",
            file=sys.stderr,
        )
        return None
    try:  # before the experiments run, so that a folder that cannot be made costs nothing
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(
            f"chainrule tutorial: --plots: expected a folder that can be created, got {folder} "
            f"({error.strerror or type(error).__name__}) (Hint: another --plots, or --no-plots)"
        ) from None
    if lang == "ja":
        from ..plot_text import japanese_font

        if japanese_font() is None:
            print(
                "注: 日本語フォントが見つからないので、図のラベルは英語です。日本語にするには: "
                "pip install 'chainrule[ja]'",
                file=sys.stderr,
            )
    return folder


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
