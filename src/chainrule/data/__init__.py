"""Data: Dataset, DataLoader and random_split (torch's semantics), the notebook's synthetic
sets, scikit-learn's bundled sets, and loaders for CSV and IDX files."""

from . import synthetic
from .bundled import Split, load_dataset
from .dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
from .files import load_csv, load_idx, load_mnist, save_idx
from .loader import DataLoader, default_collate
from .standardize import Standardizer
from .synthetic import (
    make_fuzzy_boundary,
    make_line,
    make_three_bands,
    split_in_order,
    with_ones_column,
)

from .iterable import IterableDataset
from .worker_options import get_worker_info

__all__ = [
    "BatchSampler",
    "ConcatDataset",
    "DataLoader",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
    "Dataset",
    "Split",
    "Standardizer",
    "Subset",
    "TensorDataset",
    "default_collate",
    "load_csv",
    "load_dataset",
    "load_idx",
    "load_mnist",
    "make_fuzzy_boundary",
    "make_line",
    "make_three_bands",
    "random_split",
    "save_idx",
    "split_in_order",
    "synthetic",
    "with_ones_column",
    "IterableDataset",
    "get_worker_info",
]
