import gzip

import numpy as np
import pytest

import chainrule as cr
from chainrule import ShapeError
from chainrule.data import (
    DataLoader,
    Dataset,
    TensorDataset,
    load_csv,
    load_dataset,
    load_idx,
    load_mnist,
    random_split,
    save_idx,
)


def test_tensor_dataset_and_loader_batches():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    loader = DataLoader(TensorDataset(X, y), batch_size=4)
    batches = list(loader)
    assert len(loader) == 3 and [len(b[1]) for b in batches] == [4, 4, 2]
    assert isinstance(batches[0][0], cr.Tensor)
    np.testing.assert_array_equal(np.concatenate([b[0].data for b in batches]), X)
    assert len(DataLoader(TensorDataset(X, y), batch_size=4, drop_last=True)) == 2
    assert [len(b[1]) for b in DataLoader(TensorDataset(X, y), batch_size=4, drop_last=True)] == [
        4,
        4,
    ]


def test_shuffle_is_a_permutation_driven_by_the_generator():
    X = np.arange(10)
    a = [b[0].data.tolist() for b in DataLoader(TensorDataset(X), 3, shuffle=True, generator=5)]
    b = [b[0].data.tolist() for b in DataLoader(TensorDataset(X), 3, shuffle=True, generator=5)]
    assert a == b and sorted(sum(a, [])) == list(range(10)) and sum(a, []) != list(range(10))
    loader = DataLoader(TensorDataset(X), 10, shuffle=True, generator=5)
    first, second = next(iter(loader))[0].data, next(iter(loader))[0].data
    assert not np.array_equal(first, second)  # a new order every epoch


def test_generic_dataset_is_collated():
    class Squares(Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return np.array([i, i * i], dtype=float), i

    x, y = next(iter(DataLoader(Squares(), batch_size=5)))
    assert x.shape == (5, 2) and y.data.tolist() == [0, 1, 2, 3, 4]


@pytest.mark.oracle
def test_random_split_matches_torchs_rules():
    torch = pytest.importorskip("torch")
    parts = random_split(TensorDataset(np.arange(10)), [0.7, 0.3], generator=0)
    assert [len(p) for p in parts] == [7, 3]
    seen = sorted(int(parts[0][i][0]) for i in range(7)) + sorted(
        int(parts[1][i][0]) for i in range(3)
    )
    assert sorted(seen) == list(range(10))
    torch_lengths = [len(p) for p in torch.utils.data.random_split(range(10), [0.34, 0.33, 0.33])]
    assert [
        len(p) for p in random_split(TensorDataset(np.arange(10)), [0.34, 0.33, 0.33])
    ] == torch_lengths
    with pytest.raises(
        ValueError, match="random_split: expected lengths that add up to the dataset's 10 samples"
    ):
        random_split(TensorDataset(np.arange(10)), [3, 3])


def test_mismatched_arrays_are_refused():
    with pytest.raises(
        ShapeError, match=r"TensorDataset: expected arrays with the same first dimension \(5\)"
    ):
        TensorDataset(np.zeros((5, 2)), np.zeros(4))


@pytest.mark.usefixtures("sklearn_data")
@pytest.mark.parametrize(
    "name,classes,features",
    [
        ("digits", 10, 64),
        ("iris", 3, 4),
        ("wine", 3, 13),
        ("breast_cancer", 2, 30),
        ("diabetes", 0, 10),
    ],
)
def test_bundled_sets_split_and_standardize_on_train_only(name, classes, features):
    split = load_dataset(name, seed=0)
    assert split.num_features == features and split.num_classes == classes
    np.testing.assert_allclose(split.X_train.mean(axis=0), 0, atol=1e-4)
    assert not np.allclose(split.X_test.mean(axis=0), 0, atol=1e-4)
    again = load_dataset(name, seed=0)
    np.testing.assert_array_equal(split.X_test, again.X_test)
    other = load_dataset(name, seed=1)
    assert not np.array_equal(split.y_test, other.y_test) or not np.array_equal(
        split.X_test, other.X_test
    )
    if classes:  # stratified: each class keeps its share
        share_train = np.bincount(split.y_train) / len(split.y_train)
        share_test = np.bincount(split.y_test) / len(split.y_test)
        assert np.abs(share_train - share_test).max() < 0.05


def test_csv_loader(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b,label\n1,2,0\n3,4,1\n5,6,1\n7,8,0\n9,10,1\n")
    X, y, names = load_csv(path, "label")
    assert names == ["a", "b"] and X.shape == (5, 2) and y.tolist() == [0, 1, 1, 0, 1]
    split = load_dataset(str(path), target="label", test_size=0.4, seed=0)
    assert split.task == "classification" and split.num_classes == 2 and len(split.X_test) == 2


def test_csv_errors_name_file_line_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,label\n1,0\nx,1\n")
    with pytest.raises(
        ValueError, match=r"load_csv\(bad.csv\): expected a number in column 'a' on line 3, got 'x'"
    ):
        load_csv(path, "label")
    with pytest.raises(
        ValueError, match=r"expected a target column named 'y', got columns \['a', 'label'\]"
    ):
        load_csv(path, "y")
    with pytest.raises(FileNotFoundError, match="load_csv: expected a CSV file at"):
        load_csv(tmp_path / "missing.csv", "y")


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_idx_round_trip_and_mnist_loader(tmp_path, suffix):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (6, 4, 5), dtype=np.uint8)
    labels = rng.integers(0, 10, 6).astype(np.uint8)
    save_idx(images, tmp_path / f"images.idx{suffix}")
    save_idx(labels, tmp_path / f"labels.idx{suffix}")
    np.testing.assert_array_equal(load_idx(tmp_path / f"images.idx{suffix}"), images)
    X, y = load_mnist(tmp_path / f"images.idx{suffix}", tmp_path / f"labels.idx{suffix}")
    assert X.shape == (6, 20) and X.max() <= 1.0 and y.dtype == np.int64
    floats = rng.standard_normal((3, 2))
    save_idx(floats, tmp_path / "floats.idx")
    np.testing.assert_array_equal(load_idx(tmp_path / "floats.idx"), floats)


def test_idx_truncated_and_foreign_files_are_explained(tmp_path):
    save_idx(np.zeros((4, 3), np.uint8), tmp_path / "full.idx")
    data = (tmp_path / "full.idx").read_bytes()
    (tmp_path / "cut.idx").write_bytes(data[:-2])
    with pytest.raises(
        ValueError,
        match=r"load_idx\(cut.idx\): expected 12 bytes of data for shape \(4, 3\), got 10",
    ):
        load_idx(tmp_path / "cut.idx")
    with gzip.open(tmp_path / "text.gz", "wb") as handle:
        handle.write(b"hello world")
    with pytest.raises(ValueError, match="expected an IDX header"):
        load_idx(tmp_path / "text.gz")
