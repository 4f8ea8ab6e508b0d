"""DistributedSampler's index lists are torch's, shuffled or not, for many settings."""

import itertools

import pytest

import chainrule as cr
from chainrule.utils.data import DistributedSampler
from chainrule.utils.data.distributed import torch_randperm


def test_randperm_is_torchs(torch_installed):
    torch = torch_installed
    for n, seed in itertools.product([0, 1, 2, 3, 10, 97, 1000], [0, 1, 5, 2**32 + 7, 2**40]):
        g = torch.Generator()
        g.manual_seed(seed)
        assert torch_randperm(n, seed) == torch.randperm(n, generator=g).tolist(), (n, seed)


SETTINGS = list(
    itertools.product(
        [1, 2, 5, 7, 10, 33],  # dataset sizes
        [1, 2, 3, 4, 8],  # num_replicas
        [True, False],  # shuffle
        [True, False],  # drop_last
        [0, 42],  # seed
    )
)


@pytest.mark.parametrize("size,replicas,shuffle,drop_last,seed", SETTINGS)
def test_index_lists_are_torchs(torch_installed, size, replicas, shuffle, drop_last, seed):
    Theirs = torch_installed.utils.data.distributed.DistributedSampler
    data = list(range(size))
    for rank in range(replicas):
        ours = DistributedSampler(data, replicas, rank, shuffle, seed, drop_last)
        theirs = Theirs(data, replicas, rank, shuffle, seed, drop_last)
        for epoch in (0, 3):
            ours.set_epoch(epoch)
            theirs.set_epoch(epoch)
            assert list(ours) == list(theirs), (rank, epoch)
            assert len(ours) == len(theirs)
        assert (ours.num_samples, ours.total_size) == (theirs.num_samples, theirs.total_size)


def test_a_bad_rank_is_torchs_value_error(torch_installed):
    Theirs = torch_installed.utils.data.DistributedSampler
    for rank in (2, -1):
        with pytest.raises(ValueError):
            Theirs(range(4), num_replicas=2, rank=rank)
        with pytest.raises(ValueError, match=r"a rank in the interval \[0, 1\]"):
            DistributedSampler(range(4), num_replicas=2, rank=rank)


def test_without_a_group_needs_one_like_torch():
    with pytest.raises(ValueError, match="Default process group has not been initialized"):
        DistributedSampler(range(4))
    cr.distributed.init_process_group("gloo", rank=0, world_size=1)
    try:
        sampler = DistributedSampler(range(5), shuffle=False)
        assert (sampler.num_replicas, sampler.rank, list(sampler)) == (1, 0, [0, 1, 2, 3, 4])
    finally:
        cr.distributed.destroy_process_group()


def test_a_dataloader_reads_through_it():
    data = cr.utils.data.TensorDataset(cr.arange(10))
    sampler = cr.utils.data.DistributedSampler(data, num_replicas=2, rank=0, shuffle=False)
    loader = cr.utils.data.DataLoader(data, batch_size=2, sampler=sampler)
    assert [b[0].tolist() for b in loader] == [[0, 2], [4, 6], [8]]
