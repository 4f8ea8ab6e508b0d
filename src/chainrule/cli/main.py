"""The ``chainrule`` command. Errors are one line on stderr with exit code 2, never a traceback."""

from __future__ import annotations

import argparse
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
        return int(args.handler(args) or 0)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (ChainruleError, ValueError, TypeError, OSError, KeyError, IndexError, ImportError,
            RuntimeError, ArithmeticError) as error:
        text = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"error: {type(error).__name__}: {text}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
