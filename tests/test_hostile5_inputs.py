"""Fifth hostile-input round: Python lists where a Tensor is due, out-of-range container and
dataset indices, label and weight dtypes torch refuses, reversed NumPy views, and a few layers
(Unflatten, LayerNorm, RNNs, Transformer layers) given what torch refuses. Each case runs on
torch first: chainrule's error must be an instance of the class torch raises, and name who."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr
from chainrule import nn
from chainrule.errors import NotATensorError

pytestmark = pytest.mark.oracle


def _ds(L):
    return L.utils.data


CASES = [
    ("Linear list", lambda L: L.nn.Linear(3, 2)([[1.0, 2.0, 3.0]]),
     r"linear: expected input to be a Tensor, got list"),
    ("ReLU list", lambda L: L.nn.ReLU()([1.0, 2.0]), r"relu: expected input to be a Tensor"),
    ("Sigmoid list", lambda L: L.nn.Sigmoid()([1.0]), r"sigmoid: expected input"),
    ("Softmax list", lambda L: L.nn.Softmax(0)([1.0]), r"softmax: expected input"),
    ("MSELoss list", lambda L: L.nn.MSELoss()([1.0], L.ones(1)), r"mse_loss: expected input"),
    ("CrossEntropyLoss list", lambda L: L.nn.CrossEntropyLoss()([[1.0, 2.0]], L.tensor([0])),
     r"cross_entropy: expected input"),
    ("Embedding list", lambda L: L.nn.Embedding(3, 2)([0, 1]), r"embedding: expected input"),
    ("BatchNorm1d list", lambda L: L.nn.BatchNorm1d(2)([[1.0, 2.0], [3.0, 4.0]]),
     r"BatchNorm1d\(2\): expected input to be a Tensor, got list"),
    ("LayerNorm list", lambda L: L.nn.LayerNorm(2)([[1.0, 2.0]]), r"layer_norm: expected input"),
    ("Dropout list", lambda L: L.nn.Dropout()([1.0, 2.0]), r"dropout: expected input"),
    ("Flatten list", lambda L: L.nn.Flatten()([[1.0, 2.0]]), r"flatten: expected input"),
    ("Conv2d list", lambda L: L.nn.Conv2d(1, 1, 1)([[[[1.0]]]]), r"Conv2d\(1, 1, .*Tensor"),
    ("ConvTranspose2d list", lambda L: L.nn.ConvTranspose2d(1, 1, 1)([[[[1.0]]]]),
     r"ConvTranspose2d\(1, 1, .*Tensor"),
    ("RNN list", lambda L: L.nn.RNN(2, 3)([[1.0, 2.0]]), r"RNN\(2, 3\): expected input to be"),
    ("MultiheadAttention list",
     lambda L: L.nn.MultiheadAttention(4, 2)([[1.0] * 4], L.ones(1, 4), L.ones(1, 4)),
     r"MultiheadAttention\(4, 2\): expected query to be a Tensor"),
    ("TransformerEncoderLayer list", lambda L: L.nn.TransformerEncoderLayer(4, 2)([[1.0] * 4]),
     r"TransformerEncoderLayer: expected src to be a Tensor"),
    ("Unflatten list", lambda L: L.nn.Unflatten(1, (2, 2))([[1.0] * 4]), r"Unflatten\(dim=1"),
    ("TensorDataset list", lambda L: _ds(L).TensorDataset(L.ones(4), [1, 2, 3, 4]),
     r"TensorDataset: expected tensors\[1\] to be a Tensor, got list"),
    ("masked_fill str", lambda L: L.ones(2).masked_fill(L.tensor([True, False]), "a"),
     r"masked_fill: expected value to be a number, got str 'a'"),
    ("leaky_relu str", lambda L: L.nn.functional.leaky_relu(L.ones(2), "a"),
     r"leaky_relu: expected negative_slope to be a number, got str 'a'"),
    ("Sequential[5]", lambda L: L.nn.Sequential(L.nn.ReLU())[5],
     r"Sequential: expected an index in \[-1, 0\], got 5\.\nHint: index 5 is out of range"),
    ("ModuleList[-3]", lambda L: L.nn.ModuleList([L.nn.ReLU()])[-3],
     r"ModuleList: expected an index in \[-1, 0\], got -3"),
    ("Sequential['a']", lambda L: L.nn.Sequential(L.nn.ReLU())["a"],
     r"Sequential: expected an integer index or a slice, got str"),
    ("TensorDataset[4]", lambda L: _ds(L).TensorDataset(L.ones(3))[4],
     r"TensorDataset: expected an index in \[-3, 2\] \(3 samples\), got 4"),
    ("Subset[4]", lambda L: _ds(L).Subset(_ds(L).TensorDataset(L.ones(3)), [0, 1])[4],
     r"Subset: expected an index in \[-2, 1\] \(2 samples\), got 4"),
    ("len(TensorDataset())", lambda L: len(_ds(L).TensorDataset()),
     r"TensorDataset: expected at least one tensor"),
    ("DataLoader drop_last='a'", lambda L: _ds(L).DataLoader([1, 2], drop_last="a"),
     r"DataLoader: expected drop_last True or False, got 'a'"),
    ("DataLoader batch_size=True", lambda L: _ds(L).DataLoader([1, 2], batch_size=True),
     r"DataLoader: expected batch_size >= 1, got True"),
    ("DataLoader None with drop_last",
     lambda L: _ds(L).DataLoader([1, 2], batch_size=None, drop_last=True),
     r"DataLoader: expected drop_last=False with batch_size=None"),
    ("cross_entropy int32 labels",
     lambda L: L.nn.functional.cross_entropy(L.ones(2, 3), L.tensor([0, 1], dtype=L.int32)),
     r"cross_entropy: expected class indices of dtype int64 \(or uint8\), got dtype int32"),
    ("cross_entropy int8 labels",
     lambda L: L.nn.functional.cross_entropy(L.ones(2, 3), L.tensor([0, 1], dtype=L.int8)),
     r"got dtype int8"),
    ("nll_loss int32 labels",
     lambda L: L.nn.functional.nll_loss(L.ones(2, 3), L.tensor([0, 1], dtype=L.int32)),
     r"nll_loss: expected class indices of dtype int64"),
    ("bce int64 targets", lambda L: L.nn.functional.binary_cross_entropy(
        L.tensor([0.5, 0.5]), L.tensor([0, 1])),
     r"binary_cross_entropy: expected float targets of dtype float32, got dtype int64"),
    ("bce with logits int64 targets", lambda L: L.nn.functional.binary_cross_entropy_with_logits(
        L.tensor([0.5, 0.5]), L.tensor([0, 1])), r"binary_cross_entropy_with_logits: expected"),
    ("cross_entropy float64 weight", lambda L: L.nn.functional.cross_entropy(
        L.ones(2, 3), L.tensor([0, 1]), weight=L.ones(3, dtype=L.float64)),
     r"cross_entropy: expected a weight of the input's dtype float32, got dtype float64"),
    ("from_numpy reversed", lambda L: L.from_numpy(np.arange(4.0)[::-1]),
     r"from_numpy: expected an array with no negative stride, got strides \(-8,\)"),
    ("tensor reversed", lambda L: L.tensor(np.flip(np.ones((2, 2)), 1)),
     r"tensor: expected an array with no negative stride"),
    ("as_tensor reversed", lambda L: L.as_tensor(np.arange(4.0)[::-1]), r"as_tensor: expected"),
    ("Unflatten dim 5", lambda L: L.nn.Unflatten(5, (2, 2))(L.ones(2, 4)),
     r"Unflatten\(dim=5, unflattened_size=\(2, 2\)\): expected dim in \[-2, 1\]"),
    ("Unflatten 0-d", lambda L: L.nn.Unflatten(0, (1,))(L.tensor(1.0)),
     r"expected a tensor with at least one dimension, got a 0-d tensor"),
    ("Unflatten sizes", lambda L: L.nn.Unflatten(1, (2, 2))(L.ones(2, 3)),
     r"expected sizes that multiply up to the size of dim 1 \(3\), got \(2, 2\)"),
    ("Unflatten two -1", lambda L: L.nn.Unflatten(1, (-1, -1))(L.ones(2, 4)),
     r"expected sizes that multiply up"),
    ("LayerNorm int", lambda L: L.nn.LayerNorm(3)(L.ones(2, 3, dtype=L.int64)),
     r"layer_norm: expected a floating-point input, got dtype int64"),
]  # fmt: skip


# torch raises NotImplementedError (no integer softmax kernel) and AssertionError (Hardtanh's
# constructor asserts) here; chainrule raises its own families, DTypeError and ArgumentError,
# through subclasses that are torch's classes too (NoKernelError, ArgumentAssertionError).
FAMILY_DIFFERS = [
    ("softmax int", lambda L: L.nn.functional.softmax(L.tensor([1, 2]), 0),
     r"softmax: expected a floating-point input, got dtype int64"),
    ("log_softmax int", lambda L: L.tensor([1, 2]).log_softmax(0),
     r"log_softmax: expected a floating-point input, got dtype int64"),
    ("Hardtanh(1, -1)", lambda L: L.nn.Hardtanh(1, -1),
     r"Hardtanh: expected max_val > min_val, got min_val=1, max_val=-1"),
    ("Hardtanh(1, 1)", lambda L: L.nn.Hardtanh(1, 1), r"Hardtanh: expected max_val > min_val"),
]  # fmt: skip


@pytest.mark.parametrize("name, call, match", FAMILY_DIFFERS, ids=[c[0] for c in FAMILY_DIFFERS])
def test_refused_where_torch_refuses_in_chainrule_families(name, call, match):
    with pytest.raises(Exception):  # noqa: B017, PT011 - torch's class is not ours here, on purpose
        call(torch)
    with pytest.raises((cr.DTypeError, cr.ArgumentError), match=match):
        call(cr)


@pytest.mark.parametrize("name, call, match", CASES, ids=[c[0] for c in CASES])
def test_refused_as_torch_refuses_with_an_error_that_names_who(name, call, match):
    with pytest.raises(Exception) as theirs:  # noqa: PT011 - the class is what we compare
        call(torch)
    with pytest.raises(type(theirs.value), match=match):
        call(cr)


def test_not_a_tensor_is_both_what_torch_functions_and_layers_raise():
    assert issubclass(NotATensorError, TypeError) and issubclass(NotATensorError, AttributeError)


def test_numpy_arrays_still_go_through_layers_and_losses():
    x = np.ones((2, 3), dtype=np.float32)
    assert tuple(nn.Linear(3, 2)(x).shape) == (2, 2)
    labels = np.array([0, 1], dtype=np.int32)  # NumPy labels of any int dtype still pass
    assert np.isfinite(cr.nn.functional.cross_entropy(cr.ones(2, 3), labels).item())


def test_uint8_labels_and_a_float64_bce_weight_pass_as_in_torch():
    F = cr.nn.functional
    ours = F.cross_entropy(cr.ones(2, 3), cr.tensor([0, 1], dtype=cr.uint8))
    np.testing.assert_allclose(ours.item(), np.log(3.0), rtol=1e-6)
    bce = F.binary_cross_entropy(
        cr.tensor([0.2, 0.7]), cr.tensor([0.0, 1.0]), weight=cr.ones(2, dtype=cr.float64)
    )
    assert bce.dtype == cr.float32


def test_a_reversed_view_passes_once_copied():
    a = np.arange(4.0)[::-1]
    np.testing.assert_array_equal(cr.tensor(a.copy()).numpy(), [3.0, 2.0, 1.0, 0.0])


@pytest.mark.parametrize("p", [0, 0.0])
def test_norm_p0_counts_non_zeros_as_torch(p):
    values = [[0.0, 1.5, -2.0], [0.0, 0.0, 3.0]]
    assert cr.tensor(values).norm(p=p).item() == torch.tensor(values).norm(p=p).item() == 3.0
    ours = cr.tensor(values).norm(p=p, dim=1)
    np.testing.assert_array_equal(ours.numpy(), torch.tensor(values).norm(p=p, dim=1).numpy())
    assert ours.dtype == cr.float32
    assert cr.linalg.vector_norm(cr.tensor(values), ord=0).item() == 3.0


@pytest.mark.parametrize(
    "args", [(5,), (0, 5), (1, 7, 2), (5.0,), (0, 2.5)], ids=["5", "0-5", "1-7-2", "5.0", "0-2.5"]
)
def test_arange_of_0d_tensors_takes_their_dtype_as_torch(args):
    ours = cr.arange(*(cr.tensor(a) for a in args))
    theirs = torch.arange(*(torch.tensor(a) for a in args))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert str(ours.dtype).removeprefix("chainrule.") == str(theirs.dtype).removeprefix("torch.")


def test_dataloader_without_batching_yields_each_sample_as_torch():
    data = np.arange(3), np.arange(3) * 2
    ours = list(cr.utils.data.DataLoader(cr.utils.data.TensorDataset(*data), batch_size=None))
    theirs = list(
        torch.utils.data.DataLoader(
            torch.utils.data.TensorDataset(*map(torch.tensor, data)), batch_size=None
        )
    )
    assert len(ours) == len(theirs) == 3
    for a, b in zip(ours, theirs):
        assert isinstance(a, list) and [t.item() for t in a] == [t.item() for t in b]
    loader = cr.utils.data.DataLoader([1, 2], batch_size=None, collate_fn=lambda s: s * 10)
    assert len(loader) == 2 and list(loader) == [10, 20]


def test_an_empty_tensor_dataset_builds_as_in_torch():
    assert cr.utils.data.TensorDataset().tensors == ()


def test_in_range_indices_and_slices_still_work():
    seq = nn.Sequential(nn.ReLU(), nn.Tanh())
    assert isinstance(seq[-1], nn.Tanh) and isinstance(seq[np.int64(0)], nn.ReLU)
    assert len(seq[5:]) == 0
    ds = cr.utils.data.TensorDataset(cr.arange(3))
    assert ds[-1][0].item() == 2
    assert cr.utils.data.Subset(ds, [2, 0])[-1][0].item() == 0


def test_unflatten_that_torch_accepts_still_agrees():
    for dim, sizes in [(1, (2, 2)), (-1, (2, -1)), (0, (1, 2))]:
        ours = nn.Unflatten(dim, sizes)(cr.ones(2, 4))
        theirs = torch.nn.Unflatten(dim, sizes)(torch.ones(2, 4))
        assert tuple(ours.shape) == tuple(theirs.shape)


def test_a_refused_masked_fill_leaves_the_tensor_alone():
    x = cr.ones(2)
    version = x._version
    with pytest.raises(TypeError, match="masked_fill_"):
        x.masked_fill_(cr.tensor([True, False]), "a")
    assert x._version == version
    np.testing.assert_array_equal(x.numpy(), [1.0, 1.0])
