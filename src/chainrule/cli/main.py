"""The ``chainrule`` command. Errors are one line on stderr with exit code 2, never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from ..errors import ChainruleError
from .usage import UsageError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print the whole usage block
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    from . import exercises, export, train, tutorial

    parser = _Parser(prog="chainrule", description="A deep-learning framework on NumPy.")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser, required=True)
    tutorial.add_parser(commands)
    train.add_parsers(commands)
    export.add_parser(commands)
    exercises.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        code = int(args.handler(args) or 0)
        if (
            sys.stdout is not None
        ):  # None when started with stdout closed (>&-): print writes nowhere
            sys.stdout.flush()  # a closed pipe shows up here, inside the try, not at interpreter exit
        return code
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return _closed_pipe()
    except (
        ChainruleError,
        ValueError,
        TypeError,
        OSError,
        KeyError,
        IndexError,
        ImportError,
        RuntimeError,
        ArithmeticError,
        MemoryError,
    ) as error:
        lines = str(error).splitlines() or [type(error).__name__]
        # One line still, but the hint (the likeliest fix) comes with it.
        hint = next((" " + line for line in lines[1:] if line.startswith("Hint:")), "")
        print(f"error: {type(error).__name__}: {lines[0]}{hint}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


def _closed_pipe() -> int:
    """The reader went away (``chainrule ... | head``): end quietly, as Unix tools do."""
    # Python would report the failed flush of stdout at exit; point stdout at /dev/null first.
    if sys.stdout is not None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 141  # 128 + SIGPIPE, what a shell reports for a tool killed by a closed pipe


if __name__ == "__main__":
    sys.exit(main())
