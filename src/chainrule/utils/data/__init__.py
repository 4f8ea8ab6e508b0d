"""Dataset, TensorDataset, Subset, DataLoader and random_split, where torch keeps them."""

from ...data.dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from ...data.sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
from ...data.loader import DataLoader, default_collate

from ...data.iterable import IterableDataset
from ...data.worker_options import get_worker_info

__all__ = [
    "BatchSampler",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "default_collate",
    "random_split",
    "IterableDataset",
    "get_worker_info",
]

# torchns: torch.utils.data.distributed (DistributedSampler, torch's index order)
from . import distributed  # noqa: E402
from .distributed import DistributedSampler  # noqa: E402

__all__ += ["DistributedSampler", "distributed"]
