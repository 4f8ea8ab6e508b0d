import pytest

"""The same seed gives bit-identical results; a different seed gives different ones."""

import json

import numpy as np

import chainrule as cr
from chainrule.cli.main import main

pytestmark = pytest.mark.usefixtures("float64_default")  # these tests check float64 numerics


def _tutorial(capsys, seed):
    assert main(["tutorial", "--json", "--no-plots", "--seed", str(seed), "--steps", "30"]) == 0
    return json.loads(capsys.readouterr().out)


def test_tutorial_is_bit_identical_for_a_seed(capsys):
    first, second, other = _tutorial(capsys, 5), _tutorial(capsys, 5), _tutorial(capsys, 6)
    assert first == second
    assert first["regression"]["gd"]["a"] != other["regression"]["gd"]["a"]
    assert first["classification"]["theta"] != other["classification"]["theta"]
    assert (
        first["softmax"]["three_class"]["final_loss"]
        != other["softmax"]["three_class"]["final_loss"]
    )


def _train(tmp_path, capsys, seed, name):
    path = tmp_path / name
    assert (
        main(
            [
                "train",
                "--dataset",
                "wine",
                "--epochs",
                "4",
                "--dropout",
                "0.2",
                "--seed",
                str(seed),
                "--quiet",
                "--json",
                "--save",
                str(path),
            ]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    return report, cr.load(path)


@pytest.mark.usefixtures("sklearn_data")
def test_train_is_bit_identical_for_a_seed(tmp_path, capsys):
    (r1, c1), (r2, c2), (_, c3) = (
        _train(tmp_path, capsys, 1, "a.npz"),
        _train(tmp_path, capsys, 1, "b.npz"),
        _train(tmp_path, capsys, 2, "c.npz"),
    )
    assert r1 == r2 and c1["history"] == c2["history"]
    for key in c1["model"]:
        np.testing.assert_array_equal(c1["model"][key], c2["model"][key])
    assert c1["history"]["train_loss"] != c3["history"]["train_loss"]
    assert not np.array_equal(c1["model"]["0.weight"], c3["model"]["0.weight"])
