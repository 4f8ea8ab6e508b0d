"""hostile7's data and io leftovers, each against torch 2.13: TensorDataset and ConcatDataset
assert, an empty dataset loads as no batches (a shuffled one is refused, as RandomSampler
does), dicts collate by the first sample's keys, save wants its folder to exist, and
clip_grad_norm_ reports the norm in the widest gradient dtype."""

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")


def _refused(call):
    with pytest.raises(Exception) as expected:
        call(torch)
    with pytest.raises(expected.type):
        call(chainrule)


def _empty(lib):
    return lib.utils.data.TensorDataset(lib.ones(0, 2))


_CASES = {
    "TensorDataset lengths": lambda lib: lib.utils.data.TensorDataset(lib.ones(2), lib.ones(3)),
    "ConcatDataset of nothing": lambda lib: lib.utils.data.ConcatDataset([]),
    "shuffled empty dataset": lambda lib: lib.utils.data.DataLoader(_empty(lib), shuffle=True),
    "collate a missing key": lambda lib: lib.utils.data.default_collate([{"a": 1}, {"b": 2}]),
    "collate a later missing key": lambda lib: lib.utils.data.default_collate(
        [{"a": 1, "b": 3}, {"a": 2}]
    ),
}


@pytest.mark.parametrize("name", sorted(_CASES))
def test_refused_as_torch(name):
    _refused(_CASES[name])


@pytest.mark.parametrize(
    "options",
    [{}, {"batch_size": 2}, {"batch_size": 2, "drop_last": True}, {"batch_size": None}],
)
def test_an_empty_dataset_loads_as_no_batches(options):
    for lib in (torch, chainrule):
        loader = lib.utils.data.DataLoader(_empty(lib), **options)
        assert list(loader) == [] and len(loader) == 0


def test_collate_keeps_the_first_samples_keys():
    batch = chainrule.utils.data.default_collate([{"a": 1}, {"a": 2, "b": 3}])
    assert list(batch) == ["a"] and batch["a"].tolist() == [1, 2]


def test_save_into_a_missing_folder_raises_as_torch(tmp_path):
    for lib in (torch, chainrule):
        target = tmp_path / lib.__name__ / "missing" / "x.pt"
        with pytest.raises(RuntimeError):
            lib.save({"a": lib.ones(1)}, target)
        assert not target.parent.exists()
    with pytest.raises(FileNotFoundError):
        chainrule.save({"a": chainrule.ones(1)}, tmp_path / "gone" / "x.pt")


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_clip_grad_norm_of_mixed_dtypes_is_the_widest(order):
    dtypes = []
    for lib in (torch, chainrule):
        pair = [lib.float32, lib.float64]
        params = []
        for i in order:
            p = lib.nn.Parameter(lib.ones(2, dtype=pair[i]))
            p.grad = lib.ones(2, dtype=pair[i])
            params.append(p)
        norm = lib.nn.utils.clip_grad_norm_(params, 1.0)
        dtypes.append(str(norm.dtype).split(".")[-1])
        np.testing.assert_allclose(float(norm), 2.0, rtol=1e-6)
    assert dtypes[0] == dtypes[1] == "float64"
