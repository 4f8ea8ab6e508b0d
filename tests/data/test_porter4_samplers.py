"""ConcatDataset, the samplers and DataLoader(sampler=...), with torch's semantics."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import errors
from chainrule.utils import data


def _numbers(start, stop):
    return data.TensorDataset(np.arange(start, stop, dtype=np.float32))


def test_concat_dataset_indexes_across_its_parts():
    both = data.ConcatDataset([_numbers(0, 3), _numbers(10, 12)])
    assert len(both) == 5 and both.cumulative_sizes == [3, 5]
    assert [float(both[i][0]) for i in range(5)] == [0, 1, 2, 10, 11]
    assert float(both[-1][0]) == 11 and float(both[-5][0]) == 0
    with pytest.raises(IndexError):
        both[5]


def test_weighted_sampler_balances_classes_and_repeats_with_its_seed():
    labels = np.array([0] * 90 + [1] * 10)
    weights = 1.0 / np.bincount(labels)[labels]
    draw = lambda seed: list(  # noqa: E731
        data.WeightedRandomSampler(weights, 4000, generator=cr.Generator().manual_seed(seed))
    )
    first = draw(0)
    assert len(first) == 4000 and first == draw(0) and first != draw(1)
    assert abs(labels[first].mean() - 0.5) < 0.05


def test_weighted_sampler_without_replacement_draws_distinct_indices():
    drawn = list(data.WeightedRandomSampler([1.0, 2.0, 3.0, 0.5], 4, replacement=False))
    assert sorted(drawn) == [0, 1, 2, 3]
    with pytest.raises(errors.ArgumentError, match="num_samples <= 3"):
        data.WeightedRandomSampler([1.0, 0.0, 1.0, 1.0], 4, replacement=False)


@pytest.mark.parametrize("weights", [[-1.0, 2.0], [0.0, 0.0], [np.nan, 1.0]])
def test_weighted_sampler_refuses_bad_weights(weights):
    with pytest.raises(ValueError, match="WeightedRandomSampler"):
        data.WeightedRandomSampler(weights, 3)


def test_loader_follows_its_sampler_and_refuses_shuffle_with_it():
    dataset = _numbers(0, 10)
    sampler = data.SubsetRandomSampler([1, 3, 5, 7], generator=0)
    loader = data.DataLoader(dataset, batch_size=3, sampler=sampler, num_workers=2, pin_memory=True)
    batches = [xb.tolist() for (xb,) in loader]
    assert len(loader) == 2 and [len(b) for b in batches] == [3, 1]
    assert sorted(sum(batches, [])) == [1.0, 3.0, 5.0, 7.0]
    with pytest.raises(ValueError, match="either shuffle=True or a sampler"):
        data.DataLoader(dataset, shuffle=True, sampler=sampler)


def test_random_sampler_with_more_samples_than_data_takes_whole_permutations():
    drawn = list(data.RandomSampler(range(4), num_samples=10, generator=1))
    assert len(drawn) == 10 and sorted(drawn[:4]) == [0, 1, 2, 3] == sorted(drawn[4:8])
    assert list(data.SequentialSampler(range(3))) == [0, 1, 2]
