"""IterableDataset: a stream of samples (lines of a file, a generator), read in order."""

from __future__ import annotations

from typing import Any, Iterator

from .dataset import Dataset


class IterableDataset(Dataset):
    """Subclass it and write ``__iter__``; DataLoader batches what it yields, in order (no
    shuffle or sampler, as in torch)."""

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__}.__iter__ is not implemented")

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__}: expected iteration, got indexing (an IterableDataset "
            f"is read in order)."
        )
