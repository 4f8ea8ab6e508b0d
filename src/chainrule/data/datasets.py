"""Every data set chainrule can load, in one public place."""

from .bundled import BUNDLED, Split, load_dataset
from .files import load_csv, load_idx, load_mnist, save_idx
from .synthetic import make_fuzzy_boundary, make_line, make_three_bands, split_in_order, with_ones_column

__all__ = ["BUNDLED", "Split", "load_csv", "load_dataset", "load_idx", "load_mnist",
           "make_fuzzy_boundary", "make_line", "make_three_bands", "save_idx", "split_in_order",
           "with_ones_column"]
