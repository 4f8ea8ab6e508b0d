"""DataLoader: batches of Tensors, shuffled by an explicit Generator."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from .._checks import fail_value
from ..autograd.tensor import Tensor
from ..random import SeedLike, as_generator
from .dataset import Dataset, Subset, TensorDataset


def default_collate(samples: list) -> Any:
    """Stack a list of samples (tuples of arrays or numbers) into a tuple of batched Tensors."""
    first = samples[0]
    if isinstance(first, tuple):
        return tuple(Tensor(np.stack([np.asarray(s[i]) for s in samples])) for i in range(len(first)))
    return Tensor(np.stack([np.asarray(s) for s in samples]))


class DataLoader:
    """Iterate over a Dataset in batches, like torch.utils.data.DataLoader (single process).

    Each epoch with ``shuffle=True`` draws a new permutation from ``generator`` (an int seed or
    a Generator; default: the library generator that ``manual_seed`` sets).

    >>> import numpy as np
    >>> loader = DataLoader(TensorDataset(np.arange(10.0), np.arange(10)), batch_size=4)
    >>> [len(x) for x, y in loader]
    [4, 4, 2]
    """

    def __init__(self, dataset: Dataset, batch_size: int = 1, shuffle: bool = False,
                 drop_last: bool = False, generator: SeedLike = None,
                 collate_fn: Callable[[list], Any] | None = None) -> None:
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            fail_value("DataLoader", "batch_size >= 1", repr(batch_size))
        if len(dataset) == 0:
            fail_value("DataLoader", "a dataset with at least one sample", "an empty one")
        self.dataset, self.batch_size = dataset, int(batch_size)
        self.shuffle, self.drop_last = shuffle, drop_last
        self.generator = None if generator is None else as_generator(generator)
        self.collate_fn = collate_fn

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        n = len(self.dataset)
        order = as_generator(self.generator).permutation(n) if self.shuffle else np.arange(n)
        arrays = self._arrays()
        for start in range(0, n, self.batch_size):
            batch = order[start:start + self.batch_size]
            if self.drop_last and len(batch) < self.batch_size:
                return
            if arrays is not None and self.collate_fn is None:
                # Fast path: one fancy-index per array instead of one call per sample.
                yield tuple(Tensor(a[batch]) for a in arrays)
            else:
                samples = [self.dataset[int(i)] for i in batch]
                yield (self.collate_fn or default_collate)(samples)

    def _arrays(self) -> tuple | None:
        """The arrays behind a TensorDataset (or a Subset of one), seen through the subset's indices."""
        if isinstance(self.dataset, TensorDataset):
            return self.dataset.arrays
        if isinstance(self.dataset, Subset) and isinstance(self.dataset.dataset, TensorDataset):
            return tuple(a[self.dataset.indices] for a in self.dataset.dataset.arrays)
        return None
