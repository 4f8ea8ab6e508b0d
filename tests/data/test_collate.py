"""default_collate against torch.utils.data.default_collate: same structure, values and dtypes."""

from collections import namedtuple

import numpy as np
import pytest

torch = pytest.importorskip("torch")
torch_collate = torch.utils.data.default_collate

import chainrule as cr
from chainrule.data import DataLoader, Dataset, default_collate

pytestmark = pytest.mark.oracle  # compared with PyTorch / scikit-learn

Pair = namedtuple("Pair", "x y")


def _same(ours, theirs):
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, cr.Tensor)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
        assert ours.numpy().dtype == theirs.numpy().dtype
    elif isinstance(theirs, dict):
        assert isinstance(ours, dict) and list(ours) == list(theirs)
        for key in theirs:
            _same(ours[key], theirs[key])
    elif isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _same(a, b)
    else:
        assert ours == theirs


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nested_samples_collate_as_in_torch(dtype):
    samples = [
        {
            "image": np.full((2, 3), i, dtype),
            "label": i,
            "weight": 0.5 * i,
            "flag": i % 2 == 0,
            "meta": (i, f"id{i}"),
            "parts": [np.arange(2, dtype=dtype) + i, 1.0 * i],
            "pair": Pair(np.float64(i), np.int64(i)),
        }
        for i in range(3)
    ]
    _same(default_collate(samples), torch_collate(samples))


def test_a_dataset_of_dicts_batches_through_the_loader():
    class Rows(Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return {"x": np.array([i, i], np.float32), "y": i}

    batches = list(DataLoader(Rows(), batch_size=2))
    assert [b["y"].numpy().tolist() for b in batches] == [[0, 1], [2, 3], [4]]
    assert batches[0]["x"].numpy().dtype == np.float32 and batches[0]["x"].shape == (2, 2)


@pytest.mark.parametrize(
    "samples, error, pattern",
    [
        (
            [{"x": {1}}, {"x": {2}}],
            TypeError,
            r"default_collate: expected tensors, numeric arrays, numbers, strings, dicts, tuples or lists at sample\['x'\], got set",  # noqa: E501
        ),
        (
            [np.array(["a"]), np.array(["b"])],
            TypeError,
            r"default_collate: .* at sample, got an array of dtype <U1",
        ),
        (
            [{"x": np.ones(2)}, {"x": np.ones(3)}],
            ValueError,
            r"default_collate: expected samples of one shape at sample\['x'\], got \(2,\), \(3,\)",
        ),
        (
            [(1, 2), (1, 2, 3)],
            ValueError,
            r"default_collate: expected sequences of one length at sample, got lengths 2, 3",
        ),
        (
            [{"x": 1}, {"y": 1}],
            KeyError,
            r"default_collate: expected every sample at sample to have key 'x', got a sample",
        ),
    ],
)
def test_what_cannot_be_collated_is_named(samples, error, pattern):
    with pytest.raises(error, match=pattern):
        default_collate(samples)
    with pytest.raises((TypeError, RuntimeError, ValueError, KeyError)):
        torch_collate(samples)  # torch refuses these too


@pytest.mark.parametrize(
    "samples",
    [
        [1, 2.5, 3.7],
        [2.5, 1],
        [1, 2],
        [True, 2],
        [1, True],
        [True, False],
        [True, 2.5],
        [(np.zeros(2), 1), (np.zeros(2), 2.7)],
    ],
    ids=str,
)
def test_mixed_python_numbers_are_never_truncated(samples):
    ours, theirs = default_collate(samples), torch_collate(samples)
    _same(ours, theirs)  # torch.tensor(batch) reads every element: [1, 2.5] is float32, not [1, 2]


def test_a_loader_over_mixed_numbers_keeps_the_fractions():
    batch = next(iter(DataLoader([1, 2.5, 3.7], batch_size=3)))
    np.testing.assert_allclose(batch.numpy(), [1.0, 2.5, 3.7], rtol=1e-6)
    assert batch.numpy().dtype == cr.get_default_dtype()
