"""``chainrule train --model cnn``: on MNIST-format IDX files written here, and on digits."""

import json

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from chainrule.cli.main import main
from chainrule.data import save_idx
from chainrule.data.mnist import load_mnist_folder


def _write_mnist(folder, rng, n_train=160, n_test=40, gz=False, dotted=False):
    """A 4-class toy in MNIST's format: the class is the quadrant of a bright square."""
    suffix = ".gz" if gz else ""
    for part, n in (("train", n_train), ("t10k", n_test)):
        labels = rng.integers(0, 4, n).astype(np.uint8)
        images = rng.integers(0, 40, (n, 28, 28)).astype(np.uint8)
        for i, label in enumerate(labels):
            top, left = 3 + 14 * (label // 2), 3 + 14 * (label % 2)
            images[i, top : top + 8, left : left + 8] = 255
        sep = "." if dotted else "-"
        save_idx(images, folder / f"{part}-images{sep}idx3-ubyte{suffix}")
        save_idx(labels, folder / f"{part}-labels{sep}idx1-ubyte{suffix}")


@pytest.mark.parametrize("gz, dotted", [(False, False), (True, True)])
def test_load_mnist_folder_reads_the_standard_file_names(tmp_path, gz, dotted):
    _write_mnist(tmp_path, np.random.default_rng(0), gz=gz, dotted=dotted)
    split = load_mnist_folder(tmp_path)
    assert split.X_train.shape == (160, 784) and split.X_test.shape == (40, 784)
    assert split.X_train.dtype == np.float32 and split.y_train.dtype == np.int64
    assert abs(float(split.X_train.mean())) < 1e-5 and abs(float(split.X_train.std()) - 1) < 1e-4
    assert split.num_classes == 4


def test_load_mnist_folder_names_the_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"expected a file named train-images-idx3-ubyte"):
        load_mnist_folder(tmp_path)


def test_train_cnn_on_mnist_files(tmp_path, capsys):
    _write_mnist(tmp_path, np.random.default_rng(1))
    assert (
        main(
            [
                "train",
                "--dataset",
                "mnist",
                "--data-dir",
                str(tmp_path),
                "--model",
                "cnn",
                "--epochs",
                "3",
                "--hidden",
                "32",
                "--val-size",
                "0",
                "--json",
                "--quiet",
            ]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["n_test"] == 40 and report["n_train"] == 160
    assert report["accuracy"] >= 0.9  # a bright quadrant is easy for two convolutions


def test_mnist_without_a_folder_is_a_usage_error(capsys):
    assert main(["train", "--dataset", "mnist", "--model", "cnn", "--quiet"]) == 2
    assert (
        "--dataset mnist: expected --data-dir FOLDER with the MNIST IDX files, got none"
        in capsys.readouterr().err
    )


@pytest.mark.usefixtures("sklearn_data")
def test_cnn_needs_square_images(capsys):
    assert main(["train", "--dataset", "wine", "--model", "cnn", "--epochs", "1", "--quiet"]) == 2
    assert (
        "cnn: expected images with a square number of pixels, got 13 features"
        in capsys.readouterr().err
    )


def _accuracy(capsys, *args):
    assert main(["train", "--dataset", "digits", "--json", "--quiet", *args]) == 0
    return json.loads(capsys.readouterr().out)["accuracy"]


@pytest.mark.usefixtures("sklearn_data")
def test_cnn_on_digits_reaches_what_a_sound_cnn_reaches(capsys):
    """The default command, seed 0: 0.986 measured. Seeds 0-4 measured 0.986, 0.997, 0.983, 0.972,
    0.994 (mean 0.987); the test runs one, as five take too long for the suite."""
    # One BLAS thread: on a small, shared machine a second one mostly waits (see bench/RESULTS.md).
    with threadpool_limits(limits=1, user_api="blas"):
        accuracy = _accuracy(capsys, "--model", "cnn", "--seed", "0")
    assert accuracy >= 0.98


@pytest.mark.usefixtures("sklearn_data")
def test_train_defaults_on_digits_reach_097_for_every_seed(capsys):
    """Two hidden layers of 128 with BatchNorm and dropout 0.1: 0.978-0.981 measured for seeds 0-4
    (one layer of 128 without them gave 0.961-0.981)."""
    scores = [_accuracy(capsys, "--seed", str(seed)) for seed in range(5)]
    assert min(scores) >= 0.97, scores
