"""BatchSampler and DataLoader(batch_sampler=), against torch.utils.data."""

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule.errors import ArgumentError


@pytest.mark.parametrize("drop_last", [False, True])
@pytest.mark.parametrize("batch_size", [1, 3, 4, 10, 11])
def test_batch_sampler_matches_torch(batch_size, drop_last):
    ours = cr.utils.data.BatchSampler(
        cr.utils.data.SequentialSampler(range(10)), batch_size, drop_last
    )
    theirs = torch.utils.data.BatchSampler(
        torch.utils.data.SequentialSampler(range(10)), batch_size, drop_last
    )
    assert list(ours) == list(theirs)
    assert len(ours) == len(theirs)


@pytest.mark.parametrize("lib", [cr, torch])
def test_loader_with_batch_sampler(lib):
    data = lib.utils.data
    dataset = data.TensorDataset(lib.arange(10).float(), lib.arange(10))
    sampler = data.BatchSampler([9, 2, 4, 0, 1], batch_size=2, drop_last=False)
    loader = data.DataLoader(dataset, batch_sampler=sampler)
    assert len(loader) == 3 and loader.batch_size is None
    assert [y.tolist() for _, y in loader] == [[9, 2], [4, 0], [1]]
    custom = data.DataLoader(
        dataset, batch_sampler=[[1, 2, 3], [5]], collate_fn=lambda items: [int(y) for _, y in items]
    )
    assert list(custom) == [[1, 2, 3], [5]]


def test_drop_last_without_batch_sampler_still_drops():
    loader = cr.utils.data.DataLoader(
        cr.utils.data.TensorDataset(np.arange(10.0)), batch_size=4, drop_last=True
    )
    assert [len(b[0]) for b in loader] == [4, 4] and len(loader) == 2


@pytest.mark.parametrize(
    "kwargs", [{"batch_size": 4}, {"shuffle": True}, {"drop_last": True}, {"sampler": [0, 1]}]
)
def test_batch_sampler_is_exclusive(kwargs):
    dataset = np.arange(4.0)
    with pytest.raises(ValueError):
        torch.utils.data.DataLoader(list(dataset), batch_sampler=[[0, 1]], **kwargs)
    with pytest.raises(ArgumentError, match="batch_sampler alone"):
        cr.utils.data.DataLoader(
            cr.utils.data.TensorDataset(dataset), batch_sampler=[[0, 1]], **kwargs
        )
    with pytest.raises(ArgumentError, match="batch_size a positive integer"):
        cr.utils.data.BatchSampler(range(3), 0, False)
