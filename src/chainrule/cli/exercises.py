"""``chainrule exercises [DIR] [--lang ja|en]``: write the student and teacher notebooks."""

from __future__ import annotations

import argparse
from pathlib import Path

from .usage import UsageError


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "exercises",
        help="write the notebook's exercises (blanks + checks) and their solutions",
        description="Write exercise notebooks in the seed notebook's order: each blank is followed "
        "by a cell that checks it with chainrule.check. The _solution notebooks are "
        "nbgrader source notebooks for teachers.",
    )
    parser.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=Path("chainrule-exercises"),
        help="folder to write into (default chainrule-exercises/)",
    )
    parser.add_argument(
        "--lang",
        choices=["ja", "en"],
        default="ja",
        help="language of the text and of check's reports (default ja, the notebook's)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite notebooks already in DIR (a student's answers would be lost)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..exercises import write
    from ..exercises.notebook import file_names

    if args.dir.exists() and not args.dir.is_dir():
        raise UsageError(
            f"chainrule exercises: expected a folder to write the notebooks into, got the file "
            f"{args.dir}"
        )
    existing = [args.dir / name for name in file_names(args.lang) if (args.dir / name).exists()]
    if existing and not args.force:
        raise UsageError(
            f"chainrule exercises: expected notebooks that do not exist yet, got "
            f"{', '.join(str(p) for p in existing)} (Hint: pass --force to overwrite them, "
            "or choose another folder)"
        )
    try:
        written = write(args.dir, args.lang)
    except OSError as error:
        raise UsageError(
            f"chainrule exercises: expected a folder the notebooks can be written to, got "
            f"{args.dir} ({error.strerror or error})"
        ) from None
    for path in written:
        print(path)
    return 0
