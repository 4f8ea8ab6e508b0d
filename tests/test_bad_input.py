"""A catalogue of what users get wrong, each with the answer chainrule gives.

Every case asserts the exception type and that the message names the op or layer, what it
expected and what it got.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import chainrule as cr
import chainrule.functional as F
from chainrule import CheckpointError, DTypeError, GraphError, ShapeError, nn, optim
from chainrule.data import DataLoader, TensorDataset, default_collate, load_csv, load_dataset
from chainrule.optim import lr_scheduler

pytestmark = pytest.mark.usefixtures("float64_default")  # these tests check float64 numerics


def _backward_twice():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    y.backward()


def _checkpoint(tmp, kind):
    path = tmp / "c.npz"
    if kind == "truncated":
        cr.save({"w": np.arange(2000.0)}, path)
        path.write_bytes(path.read_bytes()[:300])
    elif kind == "foreign":
        np.savez(path, w=np.zeros(2))
    return path


CASES = [
    # --- ops: shapes --------------------------------------------------------------------
    (
        "add shapes",
        lambda: cr.ones(3, 4) + cr.ones(5),
        ShapeError,
        r"add: expected shapes that broadcast together, got \(3, 4\) and \(5,\)",
    ),
    (
        "mul shapes",
        lambda: cr.ones(2, 3) * cr.ones(3, 2),
        ShapeError,
        r"mul: expected shapes that broadcast together, got \(2, 3\) and \(3, 2\)",
    ),
    (
        "matmul inner",
        lambda: cr.ones(2, 3) @ cr.ones(4, 5),
        ShapeError,
        r"matmul: expected a.shape\[-1\] == b.shape\[-2\], got \(2, 3\) @ \(4, 5\)",
    ),
    (
        "matmul scalar",
        lambda: cr.tensor(2.0) @ cr.ones(2),
        ShapeError,
        r"matmul: expected tensors with at least one dimension, got \(\) and \(2,\)",
    ),
    (
        "matmul batch",
        lambda: cr.ones(2, 3, 4) @ cr.ones(5, 4, 2),
        ShapeError,
        r"matmul: expected batch dimensions that broadcast, got \(2, 3, 4\) @ \(5, 4, 2\)",
    ),
    (
        "reshape size",
        lambda: cr.ones(2, 3).reshape(4, 2),
        ShapeError,
        r"reshape: expected a shape with 6 elements to fit \(2, 3\), got \(4, 2\)",
    ),
    (
        "sum dim",
        lambda: cr.ones(2, 3).sum(2),
        ShapeError,
        r"sum: expected dim in \[-2, 1\] for a tensor of shape \(2, 3\), got 2",
    ),
    (
        "max empty",
        lambda: cr.zeros(0, 3).max(),
        ShapeError,
        r"max: expected a non-empty tensor, got shape \(0, 3\)",
    ),
    (
        "permute",
        lambda: cr.ones(2, 3).permute(0, 0),
        ShapeError,
        r"permute: expected a permutation of 2 axes, got \(0, 0\)",
    ),
    (
        "cat shapes",
        lambda: cr.cat([cr.ones(2, 3), cr.ones(2, 4)], 0),
        ShapeError,
        r"concatenate\(dim=0\): expected shapes equal except along dim 0, got \(2, 3\), \(2, 4\)",
    ),
    (
        "stack shapes",
        lambda: cr.stack([cr.ones(2), cr.ones(3)]),
        ShapeError,
        r"stack: expected inputs of one shape, got \(2,\), \(3,\)",
    ),
    (
        "where shapes",
        lambda: F.where(np.ones(3, bool), cr.ones(2), cr.ones(2)),
        ShapeError,
        r"where: expected condition, a and b to broadcast together, got \(3,\), \(2,\) and \(2,\)",
    ),
    (
        "getitem range",
        lambda: cr.ones(2, 3)[4],
        IndexError,
        r"getitem: index out of range for shape \(2, 3\)",
    ),
    (
        "item",
        lambda: cr.ones(2).item(),
        ShapeError,
        r"Tensor.item: expected a tensor with one element, got shape \(2,\)",
    ),
    # --- dtypes ---------------------------------------------------------------------------
    (
        "int requires grad",
        lambda: cr.tensor([1, 2], requires_grad=True),
        DTypeError,
        r"Tensor.requires_grad_: expected a floating-point tensor, got dtype int64",
    ),
    (
        "int into Linear",
        lambda: nn.Linear(2, 3)(cr.tensor([[1, 2]])),
        DTypeError,
        r"Linear\(in_features=2, out_features=3\): expected floating-point inputs, got dtype int64",
    ),
    (
        "bool logits",
        lambda: F.cross_entropy(cr.tensor(np.ones((2, 3), bool)), np.array([0, 1])),
        DTypeError,
        r"cross_entropy: expected floating-point inputs \(the model's predictions\), got dtype bool",
    ),
    (
        "float labels for nll",
        lambda: F.nll_loss(cr.zeros(2, 3), np.array([0.0, 1.0])),
        DTypeError,
        r"nll_loss: expected integer class indices, got dtype float64",
    ),
    (
        "BCE target dtype",
        lambda: F.binary_cross_entropy(cr.zeros(2, 1, dtype=np.float32) + 0.5, np.ones((2, 1))),
        DTypeError,
        r"binary_cross_entropy: expected targets of dtype float32 to match the inputs, got float64",
    ),
    (
        "set_default_dtype",
        lambda: cr.set_default_dtype(np.int32),
        DTypeError,
        r"set_default_dtype: expected float32 or float64, got int32",
    ),
    (
        "layer dtype",
        lambda: nn.Linear(2, 2, dtype=np.int64),
        DTypeError,
        r"Linear: expected dtype float32 or float64, got int64",
    ),
    (
        "embedding float index",
        lambda: nn.Embedding(4, 2)(np.array([0.5])),
        DTypeError,
        r"embedding: expected integer indices, got dtype float64",
    ),
    # --- layers -----------------------------------------------------------------------------
    (
        "Linear features",
        lambda: nn.Linear(3, 4)(cr.ones(2, 5)),
        ShapeError,
        r"Linear\(in_features=3, out_features=4\): expected inputs of shape \(N, 3\), got \(2, 5\)",
    ),
    (
        "BatchNorm features",
        lambda: nn.BatchNorm1d(4)(cr.ones(8, 3)),
        ShapeError,
        r"BatchNorm1d\(4\): expected inputs of shape \(N, 4\) or \(N, 4, L\), got \(8, 3\)",
    ),
    (
        "BatchNorm 1-D",
        lambda: nn.BatchNorm1d(4)(cr.ones(4)),
        ShapeError,
        r"BatchNorm1d\(4\): expected inputs of shape \(N, 4\).*got \(4,\)",
    ),
    (
        "BatchNorm one sample",
        lambda: nn.BatchNorm1d(3)(cr.ones(1, 3)),
        ValueError,
        r"batch_norm: expected more than 1 value per channel when training, got input of shape \(1, 3\)",
    ),
    (
        "LayerNorm shape",
        lambda: nn.LayerNorm(5)(cr.ones(2, 4)),
        ShapeError,
        r"layer_norm: expected inputs ending in \(5,\), got \(2, 4\)",
    ),
    (
        "Embedding range",
        lambda: nn.Embedding(4, 2)(np.array([1, 4])),
        IndexError,
        r"embedding\(4, 2\): expected indices in \[0, 3\], got 4",
    ),
    ("Dropout p", lambda: nn.Dropout(1.5), ValueError, r"Dropout: expected p in \[0, 1\], got 1.5"),
    (
        "Module init",
        lambda: type("Broken", (nn.Module,), {"__init__": lambda self: setattr(self, "w", 1)})(),
        AttributeError,
        r"Broken: expected super\(\).__init__\(\) before assigning 'w'",
    ),
    # --- losses -------------------------------------------------------------------------------
    (
        "MSE broadcast trap",
        lambda: F.mse_loss(cr.ones(10, 1), np.ones(10)),
        ShapeError,
        r"mse_loss: inputs and targets must have the same shape, got \(10, 1\) and \(10,\).\nHint: broadcasting them would give a \(10, 10\) array",
    ),
    (
        "MSE empty",
        lambda: F.mse_loss(cr.ones(0, 1), np.ones((0, 1))),
        ValueError,
        r"mse_loss: expected a batch with at least one sample, got an empty batch of shape \(0, 1\)",
    ),
    (
        "MSE int predictions",
        lambda: F.mse_loss(cr.tensor([[1], [2]]), np.ones((2, 1))),
        DTypeError,
        r"mse_loss: expected floating-point inputs \(the model's predictions\), got dtype int64",
    ),
    (
        "reduction",
        lambda: nn.MSELoss(reduction="avg"),
        ValueError,
        r"MSELoss: expected reduction 'mean', 'sum' or 'none', got 'avg'",
    ),
    (
        "CE label range",
        lambda: F.cross_entropy(cr.zeros(2, 3), np.array([0, 3])),
        IndexError,
        r"cross_entropy: expected class indices in \[0, 2\], got 3 \(at position 1\)",
    ),
    (
        "CE negative label",
        lambda: F.cross_entropy(cr.zeros(2, 3), np.array([-1, 0])),
        IndexError,
        r"cross_entropy: expected class indices in \[0, 2\], got -1",
    ),
    (
        "CE label shape",
        lambda: F.cross_entropy(cr.zeros(2, 3), np.array([[0], [1]])),
        ShapeError,
        r"cross_entropy: expected class indices of shape \(2,\) for inputs \(2, 3\), got \(2, 1\)",
    ),
    (
        "CE float target shape",
        lambda: F.cross_entropy(cr.zeros(2, 3), np.ones((2, 4)) / 4),
        ShapeError,
        r"cross_entropy: expected class-probability targets of shape \(2, 3\).*got \(2, 4\)",
    ),
    (
        "CE one sample, batched target",
        lambda: F.cross_entropy(cr.zeros(3), np.array([0])),
        ShapeError,
        r"cross_entropy: expected a target of shape \(\) or \(3,\) for one sample of shape \(3,\), "
        r"got \(1,\)",
    ),
    (
        "CE empty",
        lambda: F.cross_entropy(cr.zeros(0, 3), np.zeros(0, np.int64)),
        ValueError,
        r"cross_entropy: expected a batch with at least one sample, got an empty batch of shape \(0, 3\)",
    ),
    (
        "CE weight shape",
        lambda: F.cross_entropy(cr.zeros(2, 3), np.array([0, 1]), weight=np.ones(4)),
        ShapeError,
        r"cross_entropy: expected weight of shape \(3,\), got \(4,\)",
    ),
    (
        "BCE target range",
        lambda: F.binary_cross_entropy(cr.full((2, 1), 0.5), np.array([[0.0], [2.0]])),
        ValueError,
        r"binary_cross_entropy: expected targets in \[0, 1\], got 2.0",
    ),
    (
        "BCE prediction range",
        lambda: F.binary_cross_entropy(cr.tensor([[1.5], [0.5]]), np.array([[0.0], [1.0]])),
        ValueError,
        r"binary_cross_entropy: expected inputs in \[0, 1\], got 1.5.\nHint: pass logits to binary_cross_entropy_with_logits",
    ),
    (
        "BCE NaN prediction",
        lambda: F.binary_cross_entropy(cr.tensor([[np.nan]]), np.array([[1.0]])),
        ValueError,
        r"binary_cross_entropy: expected inputs in \[0, 1\], got nan",
    ),
    (
        "BCE logits target",
        lambda: F.binary_cross_entropy_with_logits(cr.zeros(2, 1), np.array([[0.0], [-1.0]])),
        ValueError,
        r"binary_cross_entropy_with_logits: expected targets in \[0, 1\], got -1.0",
    ),
    # --- autograd -------------------------------------------------------------------------------
    (
        "backward non-scalar",
        lambda: (cr.ones(2, requires_grad=True) * 2.0).backward(),
        GraphError,
        r"backward: expected a scalar \(one-element\) tensor when no gradient is given, got shape \(2,\)",
    ),
    (
        "backward twice",
        _backward_twice,
        GraphError,
        r"backward: expected a graph that is still alive, got Sum whose saved arrays were freed(?s:.*)retain_graph=True",
    ),
    (
        "backward no grad",
        lambda: cr.ones(2).sum().backward(),
        GraphError,
        r"backward: expected a tensor that requires grad, got one that does not",
    ),
    (
        "backward grad shape",
        lambda: (cr.ones(2, requires_grad=True) * 2.0).backward(np.ones(3)),
        ShapeError,
        r"backward: expected a gradient of shape \(2,\), got \(3,\)",
    ),
    (
        "gradcheck inputs",
        lambda: cr.gradcheck(lambda t: t * 2.0, cr.ones(2)),
        ValueError,
        r"gradcheck: expected at least one input with requires_grad=True, got none",
    ),
    # --- optimizers and schedulers --------------------------------------------------------------
    (
        "negative lr",
        lambda: optim.SGD(nn.Linear(2, 1).parameters(), lr=-0.1),
        ValueError,
        r"SGD: expected a finite learning rate lr >= 0, got -0.1",
    ),
    (
        "NaN lr",
        lambda: optim.Adam(nn.Linear(2, 1).parameters(), lr=float("nan")),
        ValueError,
        r"Adam: expected a finite learning rate lr >= 0, got nan",
    ),
    (
        "negative momentum",
        lambda: optim.SGD(nn.Linear(2, 1).parameters(), lr=0.1, momentum=-1),
        ValueError,
        r"SGD: expected momentum >= 0, got -1",
    ),
    (
        "empty params",
        lambda: optim.Adam([], lr=0.1),
        ValueError,
        r"Adam: expected a non-empty list of parameters, got an empty one",
    ),
    (
        "non-leaf params",
        lambda: optim.SGD([cr.ones(2, requires_grad=True) * 2], lr=0.1),
        ValueError,
        r"SGD: expected leaf tensors \(parameters\) to optimize, got a non-leaf tensor of shape \(2,\) made by MulBackward0",
    ),
    (
        "nesterov",
        lambda: optim.SGD(nn.Linear(2, 1).parameters(), lr=0.1, nesterov=True),
        ValueError,
        r"SGD: expected momentum > 0 and dampening = 0 for nesterov=True, got momentum=0",
    ),
    (
        "scheduler without optimizer",
        lambda: lr_scheduler.StepLR(None, step_size=2),
        ValueError,
        r"StepLR: expected an Optimizer .*, got NoneType",
    ),
    (
        "plateau without optimizer",
        lambda: lr_scheduler.ReduceLROnPlateau(nn.Linear(2, 1)),
        ValueError,
        r"ReduceLROnPlateau: expected an Optimizer .*, got Linear",
    ),
    # --- checkpoints (state-dict errors live in tests/nn/test_module.py) --------------------------
    (
        "save a module",
        lambda: cr.save({"m": nn.Linear(2, 1)}, "/tmp/never.npz"),
        CheckpointError,
        r"save: expected arrays, numbers, strings, lists or dicts, got Linear at checkpoint.m",
    ),
    # --- data -------------------------------------------------------------------------------------
    (
        "loader batch size",
        lambda: DataLoader(TensorDataset(np.ones(3)), batch_size=0),
        ValueError,
        r"DataLoader: expected batch_size >= 1, got 0",
    ),
    (
        "loader empty",
        lambda: DataLoader(TensorDataset(np.ones((0, 2))), shuffle=True),
        ValueError,
        r"DataLoader: expected a dataset with at least one sample to shuffle, got an empty one",
    ),
    (
        "dataset lengths",
        lambda: TensorDataset(np.ones((4, 2)), np.ones(3)),
        ShapeError,
        r"TensorDataset: expected arrays with the same first dimension \(4\), got \(4, 2\), \(3,\)",
    ),
    (
        "unknown dataset",
        lambda: load_dataset("mnist-online"),
        ValueError,
        r"load_dataset: expected one of breast_cancer, diabetes, digits, iris, wine or a path to a .csv file, got 'mnist-online'",
    ),
    (
        "test size",
        lambda: load_dataset("iris", test_size=1.5),
        ValueError,
        r"load_dataset: expected test_size in \(0, 1\), got 1.5",
    ),
    (
        "metric shapes",
        lambda: cr.metrics.f1([0, 1], [1]),
        ShapeError,
        r"f1: expected y_true and y_pred with the same number of elements, got \(2,\) and \(1,\)",
    ),
    (
        "anomaly forward",
        lambda: _anomaly(lambda: cr.tensor([1.0, -1.0]).log()),
        cr.AnomalyError,
        r"detect_anomaly: Log.forward produced NaN; expected finite values, got NaN from inputs of shapes \(2,\)",
    ),
    (
        "clip nonfinite",
        lambda: _clip_nan(),
        RuntimeError,
        r"clip_grad_norm_: expected a finite total gradient norm, got nan",
    ),
    # --- training, metrics and batching (hostile input, round two) ----------------------------------
    (
        "fit NaN loss",
        lambda: _fit(lr=1e6),
        FloatingPointError,
        r"fit: expected a finite training loss, got (nan|inf) at epoch \d+, step \d+ of 3.\nHint: lower the learning rate, or clip gradients",
    ),
    (
        "fit patience 0",
        lambda: _fit(patience=0),
        ValueError,
        r"fit: expected patience >= 1 \(epochs without a lower validation loss\), got 0",
    ),
    (
        "fit patience without validation",
        lambda: _fit(patience=2, val=False),
        ValueError,
        r"fit: expected a val_loader for early stopping with patience, got none",
    ),
    (
        "accuracy of probabilities",
        lambda: cr.metrics.accuracy([0, 1], [0.3, 0.8]),
        ValueError,
        r"accuracy: expected class labels in y_pred, got continuous values such as 0.3.\nHint: threshold probabilities",
    ),
    (
        "binary precision on 3 classes",
        lambda: cr.metrics.precision([0, 1, 2], [0, 1, 1]),
        ValueError,
        r"precision: expected two classes for average='binary', got 3 classes \[0, 1, 2\]",
    ),
    (
        "binary without label 1",
        lambda: cr.metrics.recall([0, 2], [2, 2]),
        ValueError,
        r"recall: expected the positive label 1 among the labels, got labels \[0, 2\]",
    ),
    (
        "confusion negative label",
        lambda: cr.metrics.confusion_matrix([-1, 1], [1, 1]),
        ValueError,
        r"confusion_matrix: expected labels in \[0, 1\], got -1",
    ),
    (
        "collate a set",
        lambda: default_collate([{"x": {1}}, {"x": {2}}]),
        TypeError,
        r"default_collate: expected tensors, .* at sample\['x'\], got set",
    ),
    (
        "test split leaves no training rows",
        lambda: _bundled("iris", test_size=0.99),
        ValueError,
        r"load_dataset\('iris'\): expected at least one sample in the training split, got none of 150 with test_size=0.99",
    ),
]


def _bundled(name, **options):
    pytest.importorskip("sklearn")  # the bundled sets come from scikit-learn
    return load_dataset(name, **options)


def _fit(lr=0.1, patience=None, val=True):
    from chainrule.train import fit

    rng = np.random.default_rng(0)
    X, y = (
        rng.standard_normal((12, 2)).astype(np.float32),
        rng.standard_normal((12, 1)).astype(np.float32),
    )
    model = nn.Linear(2, 1, dtype=np.float32, generator=0)
    loader = DataLoader(TensorDataset(X, y), batch_size=4)
    with np.errstate(over="ignore", invalid="ignore"):  # the overflow on the way is expected here
        fit(
            model,
            nn.MSELoss(),
            optim.SGD(model.parameters(), lr=lr),
            loader,
            50,
            val_loader=loader if val else None,
            patience=patience,
            task="regression",
        )


def _anomaly(fn):
    with cr.detect_anomaly():
        fn()


def _clip_nan():
    p = nn.Parameter(np.zeros(2))
    p.grad = cr.tensor(np.array([np.nan, 1.0]))
    nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)


@pytest.mark.parametrize("name, action, error, pattern", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_error(name, action, error, pattern):
    with pytest.raises(error, match=pattern):
        action()


@pytest.mark.parametrize(
    "kind, pattern",
    [
        ("missing", r"load: expected a checkpoint file at .*c.npz, got no such file"),
        (
            "truncated",
            r"load: expected a complete chainrule checkpoint at .*c.npz, got a damaged or foreign file",
        ),
        (
            "foreign",
            r"load: expected a chainrule checkpoint in .*c.npz, got an .npz without a chainrule header",
        ),
    ],
)
def test_bad_checkpoint_files(tmp_path, kind, pattern):
    with pytest.raises(CheckpointError, match=pattern):
        cr.load(_checkpoint(tmp_path, kind))


def test_csv_problems(tmp_path):
    (tmp_path / "a.csv").write_text("x,y\n1,2\n")
    with pytest.raises(
        ValueError,
        match=r"load_csv\(a.csv\): expected a target column named 'label', got columns \['x', 'y'\]",
    ):
        load_csv(tmp_path / "a.csv", "label")
    (tmp_path / "b.csv").write_text("x,label\n1,cat\n")
    with pytest.raises(
        ValueError,
        match=r"load_csv\(b.csv\): expected a number in column 'label' on line 2, got 'cat'",
    ):
        load_csv(tmp_path / "b.csv", "label")
    (tmp_path / "c.csv").write_text("x,label\n1,2,3\n")
    with pytest.raises(ValueError, match=r"load_csv\(c.csv\): expected 2 values on line 2, got 3"):
        load_csv(tmp_path / "c.csv", "label")
    (tmp_path / "d.csv").write_text("x,label,label\n1,0,0\n")
    with pytest.raises(
        ValueError,
        match=r"load_csv\(d.csv\): expected column names that appear once, got 'label' twice",
    ):
        load_csv(tmp_path / "d.csv", "label")
    (tmp_path / "e.csv").write_text("x,,label\n1,2,0\n")
    with pytest.raises(
        ValueError,
        match=r"load_csv\(e.csv\): expected a name for every column in the header, got an empty name for column 2",
    ):
        load_csv(tmp_path / "e.csv", "label")
    (tmp_path / "f.csv").write_bytes(
        b"\xef\xbb\xbfx,label\n1,0\n"
    )  # a spreadsheet's byte-order mark
    assert load_csv(tmp_path / "f.csv", "label")[2] == ["x"]


def _cli(*args, cwd=None):
    # The chainrule under test, not whichever one the interpreter would find from cwd.
    env = {**os.environ, "PYTHONPATH": str(Path(cr.__file__).parents[1])}
    return subprocess.run(
        [sys.executable, "-m", "chainrule", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


@pytest.mark.parametrize(
    "args, needle",
    [
        (["train", "--optimiser", "adam"], "unrecognized arguments: --optimiser"),
        (
            ["train", "--dataset", "nowhere.csv", "--target", "y"],
            "load_csv: expected a CSV file at nowhere.csv",
        ),
        (
            ["train", "--dataset", "{tmp}/m.csv", "--target", "label"],
            "expected a target column named 'label'",
        ),
        (
            ["train", "--dataset", "{tmp}/n.csv", "--target", "label"],
            "expected a number in column 'label' on line 2, got 'cat'",
        ),
        (["train", "--epochs", "0"], "--epochs: expected a positive integer, got 0"),
        (
            ["train", "--hidden", "12,abc"],
            "expected comma-separated integers such as 128,64, got '12,abc'",
        ),
        (["train", "--activation", "swish"], "invalid choice: 'swish'"),
        (["evaluate", "{tmp}/missing.npz"], "load: expected a checkpoint file at"),
        (["tutorial", "--lr", "-1"], "--lr: expected a positive number, got -1.0"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_cli_errors_are_one_line_with_exit_code_2(tmp_path, args, needle):
    (tmp_path / "m.csv").write_text("x,y\n1,2\n3,4\n")
    (tmp_path / "n.csv").write_text("x,label\n1,cat\n3,dog\n")
    proc = _cli(*[a.replace("{tmp}", str(tmp_path)) for a in args], cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert needle.replace("{tmp}", str(tmp_path)) in proc.stderr, proc.stderr
    assert proc.stdout == ""


def test_the_catalogue_is_at_least_forty_cases():
    assert len(CASES) >= 40
