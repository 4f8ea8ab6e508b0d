"""Samplers: the order in which a DataLoader visits a dataset, as torch.utils.data's.

Each one is an iterable of indices drawn anew on every pass, from an explicit generator (the
library default when None), so a seeded run repeats and two epochs differ.
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

import numpy as np

from .._checks import fail_shape, fail_value, message
from ..random import SeedLike, as_generator


class Sampler:
    """Base class: ``__iter__`` yields dataset indices, ``__len__`` says how many."""

    def __iter__(self) -> Iterator[int]:
        raise NotImplementedError


class SequentialSampler(Sampler):
    """0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source: Any) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """A fresh permutation each pass, or ``num_samples`` draws with replacement."""

    def __init__(
        self,
        data_source: Any,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: SeedLike = None,
    ) -> None:
        if not isinstance(replacement, bool):  # 1 or "no" would read as True without a word
            raise TypeError(
                message("RandomSampler", "replacement True or False", repr(replacement))
            )
        self.data_source, self.replacement = data_source, replacement
        self._num_samples = num_samples
        self.generator = None if generator is None else as_generator(generator)
        _check_count("RandomSampler", len(self))

    def __len__(self) -> int:
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        rng, n = as_generator(self.generator), len(self.data_source)
        if self.replacement:
            return iter(rng.integers(0, n, size=len(self)).tolist())
        order: list[int] = []
        while len(order) < len(self):  # num_samples beyond n takes further permutations, as torch
            order.extend(rng.permutation(n).tolist())
        return iter(order[: len(self)])


class SubsetRandomSampler(Sampler):
    """The given indices, in a fresh random order each pass."""

    def __init__(self, indices: Sequence[int], generator: SeedLike = None) -> None:
        self.indices = list(indices)
        self.generator = None if generator is None else as_generator(generator)

    def __len__(self) -> int:
        return len(self.indices)

    def __iter__(self) -> Iterator[int]:
        order = as_generator(self.generator).permutation(len(self.indices))
        return iter([self.indices[i] for i in order])


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices drawn with probability proportional to ``weights``: with weights
    1 / (count of the sample's class), each class is drawn equally often (class balancing)."""

    def __init__(
        self,
        weights: Sequence[float],
        num_samples: int,
        replacement: bool = True,
        generator: SeedLike = None,
    ) -> None:
        who = "WeightedRandomSampler"
        values = np.asarray(getattr(weights, "_data", weights), dtype=np.float64)
        if values.ndim != 1:
            fail_shape(who, "a 1-D sequence of weights", f"shape {values.shape}")
        if not (np.isfinite(values).all() and (values >= 0).all() and values.sum() > 0):
            fail_value(
                who,
                "finite weights >= 0 with a positive sum",
                f"min {values.min() if values.size else None}, sum {values.sum()}",
            )
        if not isinstance(replacement, bool):
            raise TypeError(f"{who}: expected replacement as a bool, got {replacement!r}.")
        _check_count(who, num_samples)
        if not replacement and num_samples > np.count_nonzero(values):
            fail_value(
                who,
                f"num_samples <= {np.count_nonzero(values)} (the non-zero weights) "
                f"without replacement",
                str(num_samples),
                "pass replacement=True to draw some samples more than once.",
            )
        self.weights, self.num_samples, self.replacement = values, int(num_samples), replacement
        self.generator = None if generator is None else as_generator(generator)

    def __len__(self) -> int:
        return self.num_samples

    def __iter__(self) -> Iterator[int]:
        rng = as_generator(self.generator)
        drawn = rng.choice(
            len(self.weights),
            size=self.num_samples,
            replace=self.replacement,
            p=self.weights / self.weights.sum(),
        )
        return iter(drawn.tolist())


def _check_count(who: str, num_samples: Any) -> None:
    ok = isinstance(num_samples, (int, np.integer)) and not isinstance(num_samples, bool)
    if not ok or num_samples <= 0:
        fail_value(who, "num_samples as a positive integer", repr(num_samples))


class BatchSampler(Sampler):
    """Lists of ``batch_size`` indices from another sampler, the last one short unless
    ``drop_last``; a DataLoader takes it as ``batch_sampler=``.

    >>> list(BatchSampler(SequentialSampler(range(5)), batch_size=2, drop_last=False))
    [[0, 1], [2, 3], [4]]
    """

    def __init__(self, sampler: Any, batch_size: int, drop_last: bool) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            fail_value("BatchSampler", "batch_size a positive integer", repr(batch_size))
        if not isinstance(drop_last, bool):
            fail_value("BatchSampler", "drop_last True or False", repr(drop_last))
        self.sampler, self.batch_size, self.drop_last = sampler, batch_size, drop_last

    def __iter__(self) -> Iterator[list[int]]:
        batch: list[int] = []
        for index in self.sampler:
            batch.append(int(index))
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
