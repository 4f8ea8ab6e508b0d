"""The third hostile-input round: each case names who, what was expected and what came instead,
and leaves files and objects as they were."""

import json
import struct

import numpy as np
import pytest

import chainrule
from chainrule import metrics
from chainrule.cli.main import main
from chainrule.data.files import load_idx, load_mnist, save_idx
from chainrule.data.mnist import load_mnist_folder
from chainrule.errors import CheckpointError, ShapeError


def _safetensors(path, header, body=b""):
    text = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + body)
    return path


_W = {"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}


@pytest.mark.parametrize("meta", ["{not json", "[1, 2]", "3"])
def test_safetensors_with_foreign_chainrule_metadata_is_refused(tmp_path, meta):
    path = _safetensors(
        tmp_path / "m.safetensors", {"__metadata__": {"chainrule": meta}, **_W}, bytes(4)
    )
    with pytest.raises(
        CheckpointError, match="load: expected the 'chainrule' metadata .* JSON object, got"
    ):
        chainrule.load(path)


@pytest.mark.parametrize("dtype", ["BF16", "F8_E4M3"])
def test_safetensors_dtype_numpy_lacks_is_named_not_called_damage(tmp_path, dtype):
    header = {
        "w": {"dtype": dtype, "shape": [2], "data_offsets": [0, 2 if dtype == "F8_E4M3" else 4]}
    }
    path = _safetensors(tmp_path / "b.safetensors", header, bytes(4))
    with pytest.raises(
        CheckpointError,
        match=f"load: expected tensors of a dtype NumPy holds .* got 'w' of dtype {dtype}",
    ):
        chainrule.load(path)


def test_safetensors_refuses_a_string_array_before_writing(tmp_path):
    path = tmp_path / "s.safetensors"
    with pytest.raises(
        CheckpointError,
        match=r"save\(safetensors\): expected a state dict of named numeric arrays, got dtype <U1 at key 'a'",
    ):
        chainrule.save({"a": np.array(["x"])}, path)
    assert not path.exists()


@pytest.mark.parametrize("suffix", [".npz", ".safetensors"])
def test_load_names_a_folder_or_a_device(tmp_path, suffix):
    folder = tmp_path / f"dir{suffix}"
    folder.mkdir()
    with pytest.raises(
        CheckpointError, match="load: expected a checkpoint file at .*, got a folder"
    ):
        chainrule.load(folder)
    fmt = suffix.lstrip(".")
    with pytest.raises(CheckpointError, match="got a device, FIFO or socket"):
        chainrule.load("/dev/null", format=fmt)


def test_save_a_dict_that_holds_itself(tmp_path):
    loop: dict = {}
    loop["self"] = loop
    with pytest.raises(
        CheckpointError,
        match="save: expected a tree of dicts and lists, got one nested too deeply or holding itself",
    ):
        chainrule.save(loop, tmp_path / "loop.npz")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("path", [3, None, b"x.npz"])
def test_save_and_load_name_a_path_that_is_not_one(tmp_path, path):
    with pytest.raises(TypeError, match=r"save: expected a file path \(str or os.PathLike\), got"):
        chainrule.save({"a": 1}, path)
    with pytest.raises(TypeError, match=r"load: expected a file path \(str or os.PathLike\), got"):
        chainrule.load(path)


def test_metrics_refuse_one_hot_and_ragged_labels():
    with pytest.raises(
        ShapeError,
        match=r"accuracy: expected y_true of shape \(n,\) or \(n, 1\), got \(3, 3\).\nHint: .*argmax",
    ):
        metrics.accuracy(np.eye(3), np.eye(3))
    with pytest.raises(
        ValueError,
        match="f1: expected y_true as a flat sequence of labels, got rows of different lengths",
    ):
        metrics.f1([[1, 0], [1]], [1, 0])
    with pytest.raises(
        ValueError, match="accuracy: expected numeric y_true, got dtype <U1.\nHint: map labels"
    ):
        metrics.accuracy(["a"], ["a"])


def test_mse_and_r2_do_not_wrap_integers_and_keep_multioutput():
    from sklearn.metrics import mean_squared_error, r2_score

    t, p = np.array([0, 200], np.uint8), np.array([20, 0], np.uint8)
    assert metrics.mse(t, p) == pytest.approx(mean_squared_error(t.astype(float), p.astype(float)))
    assert metrics.r2_score(t, p) == pytest.approx(r2_score(t.astype(float), p.astype(float)))
    big = np.array([2**62]), np.array([-(2**62)])
    assert metrics.mse(*big) == pytest.approx(float(2**63) ** 2)
    a = np.arange(6.0).reshape(3, 2)
    assert metrics.mse(a, a[::-1]) == pytest.approx(mean_squared_error(a, a[::-1]))
    with pytest.raises(
        ShapeError, match=r"mse: expected y_true and y_pred of one shape, got \(3, 2\) and \(2, 3\)"
    ):
        metrics.mse(a, a.reshape(2, 3))


@pytest.mark.parametrize("value", ["warn", 5, True])
def test_zero_division_outside_scikit_learns_choices(value):
    with pytest.raises(
        ValueError, match=f"precision: expected zero_division 0.0, 1.0 or nan, got {value!r}"
    ):
        metrics.precision([0, 1], [0, 1], zero_division=value)


@pytest.mark.parametrize("k", [0, -1, 2.5, "3", True])
def test_confusion_matrix_num_classes(k):
    with pytest.raises(
        ValueError, match="confusion_matrix: expected num_classes as a positive integer, got"
    ):
        metrics.confusion_matrix([0, 1], [0, 1], num_classes=k)


def test_confusion_matrix_refuses_ids_as_class_indices():
    with pytest.raises(
        ValueError,
        match="confusion_matrix: expected at most 16384 classes .* got labels up to 1000000000000",
    ):
        metrics.confusion_matrix([0, 10**12], [0, 1])


def _idx(path, code, dims, body):
    path.write_bytes(bytes([0, 0, code, len(dims)]) + struct.pack(f">{len(dims)}I", *dims) + body)
    return path


def test_idx_header_dimensions(tmp_path):
    with pytest.raises(
        ValueError, match=r"load_idx\(z\): expected 1 to 32 dimensions in the IDX header, got 0"
    ):
        load_idx(_idx(tmp_path / "z", 8, [], b"\x07"))
    with pytest.raises(ValueError, match="got 255"):
        load_idx(_idx(tmp_path / "w", 8, [1] * 255, b"\x01"))
    with pytest.raises(
        IsADirectoryError, match="load_idx: expected an IDX file at .*, got a folder"
    ):
        load_idx(tmp_path)
    with pytest.raises(
        ValueError,
        match="save_idx: expected an array of 1 to 32 dimensions and a file path, got 0 dimensions",
    ):
        save_idx(np.uint8(3), tmp_path / "s")


def test_mnist_files_swapped_or_of_the_wrong_kind(tmp_path):
    images = _idx(tmp_path / "img", 8, [3, 2, 2], bytes(12))
    labels = _idx(tmp_path / "lab", 8, [3], bytes([0, 1, 2]))
    with pytest.raises(
        ValueError,
        match=r"load_mnist\(lab, img\): expected images as uint8 of shape \(n, rows, cols\), "
        r"got uint8 of shape \(3,\).\nHint: .*swapped",
    ):
        load_mnist(labels, images)
    floats = _idx(tmp_path / "f", 0x0D, [3], np.array([0.5, 1, 2], ">f4").tobytes())
    with pytest.raises(
        ValueError, match="expected labels as non-negative integers of shape .n,., got float32"
    ):
        load_mnist(images, floats)
    negative = _idx(tmp_path / "n", 0x09, [3], np.array([-1, 0, 1], "i1").tobytes())
    with pytest.raises(ValueError, match="got label -1"):
        load_mnist(images, negative)
    empty = _idx(tmp_path / "e", 8, [0, 2, 2], b"")
    with pytest.raises(ValueError, match="expected at least one image, got none"):
        load_mnist(empty, _idx(tmp_path / "el", 8, [0], b""))


def test_mnist_folder_not_a_folder_and_mixed_sizes(tmp_path):
    with pytest.raises(
        NotADirectoryError,
        match="load_mnist_folder: expected a folder holding the MNIST IDX files at .*, got a file",
    ):
        load_mnist_folder(_idx(tmp_path / "x", 8, [1], b"\x00"))
    save_idx(np.zeros((4, 28, 28), np.uint8), tmp_path / "train-images-idx3-ubyte")
    save_idx(np.arange(4, dtype=np.uint8), tmp_path / "train-labels-idx1-ubyte")
    save_idx(np.zeros((2, 32, 32), np.uint8), tmp_path / "t10k-images-idx3-ubyte")
    save_idx(np.arange(2, dtype=np.uint8), tmp_path / "t10k-labels-idx1-ubyte")
    with pytest.raises(
        ValueError,
        match=r"expected test images of the training images' size \(784 pixels\), got 1024 pixels",
    ):
        load_mnist_folder(tmp_path)


def _cli(capsys, *argv):
    code = main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


@pytest.mark.parametrize(
    "argv, expected",
    [
        (
            ["tutorial", "regression", "--lr", "1e300", "--no-plots"],
            "chainrule tutorial regression: expected gradient descent to stay finite, got overflow",
        ),
        (
            ["tutorial", "classification", "--lr", "1e10", "--no-plots"],
            "chainrule tutorial classification: expected gradient descent to stay finite, got invalid value",
        ),
        (
            ["tutorial", "regression", "--seed", "-1", "--no-plots"],
            "chainrule tutorial: --seed: expected an integer in [0, 2**32), got -1",
        ),
        (
            ["tutorial", "regression", "--plots", "/dev/null"],
            "chainrule tutorial: --plots: expected a folder for the figures, got the file /dev/null",
        ),
        (
            ["exercises", "/dev/null"],
            "chainrule exercises: expected a folder to write the notebooks into, got the file /dev/null",
        ),
        (
            ["train", "--dataset", "iris", "--data-dir", ".", "--epochs", "1"],
            "chainrule train: --data-dir: expected --dataset mnist, got --dataset iris",
        ),
    ],
)
def test_cli_refuses_with_one_line(capsys, argv, expected):
    code, err = _cli(capsys, *argv)
    assert code == 2 and expected in err, err


def test_cli_export_checks_the_config_as_resume_does(tmp_path, capsys):
    run = tmp_path / "run.npz"
    assert main(["train", "--dataset", "iris", "--epochs", "1", "--quiet", "--save", str(run)]) == 0
    capsys.readouterr()
    state = chainrule.load(run)
    del state["config"]["hidden"]
    crafted = tmp_path / "crafted.npz"
    chainrule.save(state, crafted)
    code, err = _cli(capsys, "export", str(crafted), "--onnx", str(tmp_path / "m.onnx"))
    assert code == 2 and "chainrule export: expected config.hidden of type list in" in err, err
    assert not (tmp_path / "m.onnx").exists()


def _gives_nan(x):
    return x * np.nan


def _gives_text(x):
    return "text"


@pytest.mark.parametrize(
    "function, diagnosis", [(_gives_nan, "not_finite"), (_gives_text, "not_an_array")]
)
def test_check_does_not_pass_a_function_it_could_not_compare(function, diagnosis):
    from chainrule.check import check

    result = check(function)
    assert not result
    assert [f.diagnosis for f in result.findings] == [diagnosis]


class _ListTheta:
    """The notebook's Linear2 with theta as a list and a backward that forgets grad."""

    def __init__(self):
        self.theta = [[0.5, -1.0]]
        self.grad_theta = None

    def forward(self, inputs):
        self.x = inputs
        return inputs @ np.asarray(self.theta).T

    def backward(self, grad):
        self.grad_theta = np.ones((1, 2))
        return grad @ np.asarray(self.theta)


def test_check_still_checks_a_theta_given_as_a_list():
    from chainrule.check import check

    layer = _ListTheta()
    result = check(layer, like="Linear2")
    assert not result and "grad_theta" in [f.name for f in result.findings]
    assert layer.theta == [[0.5, -1.0]]  # the student's object is left as it was


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"seed": -1}, r"chainrule.check\(seed=-1\): expected a non-negative integer, got -1"),
        (
            {"inputs": "abc"},
            "chainrule.check: expected inputs as an array of numbers, got str 'abc'",
        ),
        (
            {"inputs": np.zeros((0, 1))},
            r"expected inputs with at least one element, got shape \(0, 1\)",
        ),
    ],
)
def test_check_arguments(kwargs, match):
    from chainrule.check import check

    with pytest.raises(ValueError, match=match):
        check(_gives_nan, **kwargs)
