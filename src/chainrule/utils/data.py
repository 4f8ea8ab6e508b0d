"""Dataset, TensorDataset, Subset, DataLoader and random_split, where torch keeps them."""

from ..data.dataset import Dataset, Subset, TensorDataset, random_split
from ..data.loader import DataLoader, default_collate

__all__ = ["DataLoader", "Dataset", "Subset", "TensorDataset", "default_collate", "random_split"]
