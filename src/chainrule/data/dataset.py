"""Dataset, TensorDataset, Subset, ConcatDataset and random_split, with torch.utils.data's semantics."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._checks import check_tensor, fail_value, message, shape_str
from ..errors import ArgumentAssertionError, IndexRangeError, ShapeAssertionError
from ..random import SeedLike, as_generator


class Dataset:
    """Anything with ``__len__`` and ``__getitem__(i)`` returning one sample (a tuple of arrays)."""

    def __len__(self) -> int:
        raise NotImplementedError

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError


class TensorDataset(Dataset):
    """Samples are rows of arrays that share their first axis: TensorDataset(X, y)."""

    def __init__(self, *arrays: Any) -> None:
        for i, a in enumerate(arrays):  # a list would become an array silently; torch refuses
            check_tensor("TensorDataset", a, f"tensors[{i}]")
        self.arrays = tuple(np.asarray(getattr(a, "data", a)) for a in arrays)
        n = len(self.arrays[0]) if arrays else 0
        for a in self.arrays[1:]:
            if len(a) != n:  # torch asserts: an AssertionError, and a ShapeError here
                raise ShapeAssertionError(
                    message(
                        "TensorDataset",
                        f"arrays with the same first dimension ({n})",
                        ", ".join(shape_str(x.shape) for x in self.arrays),
                        "each sample needs its features and its target: check X and y have one "
                        "row per sample.",
                    )
                )

    def __len__(self) -> int:
        if not self.arrays:  # torch builds TensorDataset() and fails only when asked its length
            raise IndexError(
                message("TensorDataset", "at least one tensor to count samples in", "none")
            )
        return len(self.arrays[0])

    @property
    def tensors(self) -> tuple:
        """The data as Tensors sharing memory with ``arrays`` (torch's attribute)."""
        from ..autograd.tensor import Tensor

        return tuple(Tensor._wrap(a) for a in self.arrays)

    def __getitem__(self, index: Any) -> tuple:
        from ..autograd.tensor import Tensor

        if _is_index(index):
            index = _in_range("TensorDataset", index, len(self))
        # Tensors, as torch's; a row of a 1-D array is a NumPy scalar, hence asarray
        return tuple(Tensor._wrap(np.asarray(a[index])) for a in self.arrays)


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``."""

    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = np.asarray(indices, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index: Any) -> Any:
        if _is_index(index):
            index = _in_range("Subset", index, len(self))
        return self.dataset[self.indices[index]]


def _is_index(index: Any) -> bool:
    return isinstance(index, (int, np.integer)) and not isinstance(index, bool)


def _in_range(who: str, index: Any, n: int) -> int:
    """NumPy's "out of bounds for axis 0" names neither the dataset nor what it holds."""
    if not -n <= index < n:
        raise IndexError(
            message(who, f"an index in [{-n}, {n - 1}] ({n} samples)", str(int(index)))
        )
    return int(index)


class ConcatDataset(Dataset):
    """The samples of several datasets one after the other (two sources of training data)."""

    def __init__(self, datasets: Sequence[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:  # torch asserts it
            raise ArgumentAssertionError(message("ConcatDataset", "at least one dataset", "none"))
        self.cumulative_sizes = np.cumsum([len(d) for d in self.datasets]).tolist()

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int) -> Any:
        n = len(self)
        if index < -n:  # torch: a ValueError below -len, an IndexError above; this is both
            raise IndexRangeError(
                message("ConcatDataset", f"an index in [{-n}, {n - 1}] ({n} samples)", str(index))
            )
        index = _in_range("ConcatDataset", index, n) % n
        which = int(np.searchsorted(self.cumulative_sizes, index, side="right"))
        start = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][index - start]


def random_split(
    dataset: Dataset, lengths: Sequence[float], generator: SeedLike = None
) -> list[Subset]:
    """Split into non-overlapping Subsets of the given lengths (counts, or fractions summing to 1)."""
    n = len(dataset)
    lengths = list(lengths)
    if all(isinstance(x, float) for x in lengths) and abs(sum(lengths) - 1.0) < 1e-9:
        counts = [int(np.floor(n * f)) for f in lengths]
        for i in range(n - sum(counts)):  # spread the remainder round-robin, as torch does
            counts[i % len(counts)] += 1
    else:
        counts = [int(x) for x in lengths]
    if sum(counts) != n:
        fail_value(
            "random_split", f"lengths that add up to the dataset's {n} samples", str(lengths)
        )
    order = as_generator(generator).permutation(n)
    out, start = [], 0
    for count in counts:
        out.append(Subset(dataset, order[start : start + count]))
        start += count
    return out
