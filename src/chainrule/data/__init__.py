"""Data: the notebook's synthetic sets and helpers."""

from . import synthetic
from .synthetic import make_fuzzy_boundary, make_line, make_three_bands, split_in_order, with_ones_column

__all__ = ["make_fuzzy_boundary", "make_line", "make_three_bands", "split_in_order", "synthetic",
           "with_ones_column"]
