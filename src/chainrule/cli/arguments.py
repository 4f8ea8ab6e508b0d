"""Number options read strictly: argparse's int and float would take what a typo produces.

int() reads ' 5', '+5', '1_000' and '１２' (full-width digits); float() reads 'nan', 'inf' and
'1e999'. A command line that means something else than it seems to is refused, with the option
named by argparse ("argument --epochs: expected ...").
"""

from __future__ import annotations

import argparse
import math
import re

_INTEGER = re.compile(r"-?[0-9]+")  # ASCII only: re's \d would match full-width digits too
_NUMBER = re.compile(r"-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")


def integer(text: str) -> int:
    """A decimal integer in ASCII digits, with an optional minus sign (the range is checked later)."""
    if not _INTEGER.fullmatch(text):
        raise argparse.ArgumentTypeError(f"expected an integer such as 30, got {text!r}")
    return int(text)


def number(text: str) -> float:
    """A finite decimal number such as 0.001 or 1e-3, in ASCII."""
    if not _NUMBER.fullmatch(text) or not math.isfinite(float(text)):
        raise argparse.ArgumentTypeError(f"expected a finite number such as 0.001, got {text!r}")
    return float(text)


def widths(text: str) -> list[int]:
    """Comma-separated layer widths: '1,,2' or '128,' is a typo, not 1,2 or 128."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            f"expected at least one width such as 128, got {text!r} "
            "(for no hidden layer use --model linear)"
        )
    parts = text.split(",")
    if not all(_INTEGER.fullmatch(part) for part in parts):
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers such as 128,64, got {text!r}"
        )
    sizes = [int(part) for part in parts]
    if any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError(f"expected positive layer widths, got {text!r}")
    return sizes
