"""torch.utils.data.distributed.DistributedSampler, giving torch's very index lists.

Each replica reads every ``num_replicas``-th index of one shared order, so the order has to be
the same in every process and the same as torch's for a run to be comparable with torch: the
shuffled order here is torch's ``randperm`` on a ``torch.Generator`` seeded with
``seed + epoch``, reproduced (torch's CPU generator is the 32-bit Mersenne Twister seeded as
``init_genrand`` seeds it, which NumPy's legacy RandomState seeds the same way)."""

from __future__ import annotations

import math
from typing import Any, Iterator

import numpy as np

from ..._checks import message
from ...data.sampler import Sampler
from ...errors import ArgumentError


def torch_randperm(n: int, seed: int) -> list[int]:
    """torch.randperm(n, generator=torch.Generator().manual_seed(seed)).tolist(), on NumPy.

    torch's CPU randperm is a Fisher-Yates pass that swaps position i with i + (draw % (n - i))
    for 32-bit draws of the generator; torch keys the generator with the seed's low 32 bits."""
    draws = np.random.RandomState(seed & 0xFFFFFFFF).randint(
        0, 2**32, size=max(n - 1, 0), dtype=np.uint32
    )
    order = list(range(n))
    for i, draw in enumerate(draws.tolist()):
        j = i + draw % (n - i)
        order[i], order[j] = order[j], order[i]
    return order


class DistributedSampler(Sampler):
    """The indices of ``dataset`` that belong to replica ``rank`` of ``num_replicas``.

    Without ``num_replicas``/``rank`` they come from the process group (one process: 1 and
    0). Not ``drop_last``: the order is padded by repeating its start until it divides evenly.
    Call ``set_epoch(epoch)`` before each epoch, or every epoch repeats the same shuffle.

    >>> list(DistributedSampler(range(5), num_replicas=2, rank=1, shuffle=False))
    [1, 3, 0]
    """

    def __init__(
        self,
        dataset: Any,
        num_replicas: int | None = None,
        rank: int | None = None,
        shuffle: bool = True,
        seed: int = 0,
        drop_last: bool = False,
    ) -> None:
        from ... import distributed

        if num_replicas is None:
            num_replicas = distributed.get_world_size()
        if rank is None:
            rank = distributed.get_rank()
        if rank >= num_replicas or rank < 0:  # torch's ValueError
            raise ArgumentError(
                message(
                    "DistributedSampler",
                    f"a rank in the interval [0, {num_replicas - 1}]",
                    f"rank {rank} (Invalid rank {rank})",
                )
            )
        self.dataset, self.num_replicas, self.rank = dataset, num_replicas, rank
        self.epoch, self.drop_last, self.shuffle, self.seed = 0, drop_last, shuffle, seed
        size = len(dataset)
        if drop_last and size % num_replicas != 0:
            self.num_samples = math.ceil((size - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(size / num_replicas)
        self.total_size = self.num_samples * num_replicas

    def __iter__(self) -> Iterator[int]:
        size = len(self.dataset)
        if self.shuffle:
            indices = torch_randperm(size, self.seed + self.epoch)
        else:
            indices = list(range(size))
        if self.drop_last:
            indices = indices[: self.total_size]
        else:
            padding = self.total_size - len(indices)
            # a dataset smaller than the padding is repeated whole as often as needed, as torch does
            indices += (indices * math.ceil(padding / max(len(indices), 1)))[:padding]
        return iter(indices[self.rank : self.total_size : self.num_replicas])

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Shuffle with ``seed + epoch`` from the next pass on (the same in every replica)."""
        self.epoch = epoch
