"""Fourth hostile-input round: inputs that gave a silent wrong answer (negative indices NumPy
wraps, a step pointing away from arange's end, a negative size read as -1) or a bare NumPy or
Python error (division by zero, broadcast failures) now get the house error, as torch refuses."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr
import chainrule.nn.functional as F
from chainrule import ShapeError, nn

pytestmark = pytest.mark.oracle  # each case is one torch refuses too


def _x():
    return cr.zeros(2, 3)


CASES = [
    ("gather -1", lambda T: T.ones(2, 3).gather(1, T.tensor([[0, -1]])), RuntimeError,
     r"gather: expected index values in \[0, 3\), got \[-1, 0\]"),
    ("gather 3", lambda T: T.ones(2, 3).gather(1, T.tensor([[0, 3]])), RuntimeError,
     r"gather: expected index values in \[0, 3\), got \[0, 3\]"),
    ("index_select -1", lambda T: T.zeros(2, 3).index_select(1, T.tensor([0, -1])), RuntimeError,
     r"index_select: expected index values in \[0, 3\), got \[-1, 0\]"),
    ("scatter -1", lambda T: T.zeros(2, 3).scatter(1, T.tensor([[0, -1]]), 1.0), RuntimeError,
     r"scatter: expected index values in \[0, 3\), got \[-1, 0\]"),
    ("scatter_add -1", lambda T: T.zeros(2, 3).scatter_add(1, T.tensor([[-1]]), T.ones(1, 1)),
     RuntimeError, r"scatter: expected index values in \[0, 3\)"),
    ("index_add -1", lambda T: T.zeros(2, 3).index_add(1, T.tensor([-1]), T.ones(2, 1)),
     RuntimeError, r"index_add: expected index values in \[0, 3\), got \[-1, -1\]"),
    ("arange step 0", lambda T: T.arange(0, 10, 0), RuntimeError,
     r"arange: expected a non-zero step that leads from 0 to 10, got step=0"),
    ("arange backwards", lambda T: T.arange(10, 0, 1), RuntimeError,
     r"arange: expected a non-zero step that leads from 10 to 0, got step=1"),
    ("arange wrong sign", lambda T: T.arange(0, 5, -1), RuntimeError, r"arange: expected"),
    ("arange nan", lambda T: T.arange(0, float("nan")), RuntimeError,
     r"arange: expected finite start, end and step, got 0, nan, 1"),
    ("eye -1", lambda T: T.eye(-1), RuntimeError, r"eye: expected non-negative sizes, got \(-1,\)"),
    ("eye m -1", lambda T: T.eye(3, -1), RuntimeError, r"eye: expected non-negative sizes"),
    ("eye 2.5", lambda T: T.eye(2.5), TypeError, r"eye: expected sizes that are ints, got float"),
    ("randperm -1", lambda T: T.randperm(-1), RuntimeError,
     r"randperm: expected non-negative sizes, got \(-1,\)"),
    ("reshape -2", lambda T: T.ones(2, 3).reshape(-2, 3), RuntimeError,
     r"reshape: expected sizes that are ints >= -1, got \(-2, 3\)"),
    ("view -5", lambda T: T.ones(2, 3).view(-5), RuntimeError, r"reshape: expected sizes"),
    ("reshape float", lambda T: T.ones(2, 3).reshape(2.0, 3), TypeError,
     r"reshape: expected sizes that are ints >= -1, got float 2.0"),
    ("interpolate size 0", lambda T: T.nn.functional.interpolate(T.ones(1, 1, 2, 2), size=0),
     ValueError, r"interpolate\(mode='nearest'\): expected output sizes >= 1, got \(0, 0\)"),
    ("interpolate scale 0",
     lambda T: T.nn.functional.interpolate(T.ones(1, 1, 2, 2), scale_factor=0), ValueError,
     r"interpolate\(mode='nearest'\): expected output sizes >= 1, got \(0, 0\)"),
    ("Upsample scale 0", lambda T: T.nn.Upsample(scale_factor=0)(T.ones(1, 1, 2, 2)), ValueError,
     r"expected output sizes >= 1"),
    ("linear bias", lambda T: T.nn.functional.linear(T.ones(2, 3), T.ones(4, 3), T.ones(3)),
     RuntimeError, r"linear: expected a bias of shape \(4,\), got \(3,\)"),
    ("batch_norm stats",
     lambda T: T.nn.functional.batch_norm(T.ones(2, 3), T.zeros(4), T.ones(4)), RuntimeError,
     r"batch_norm: expected running_mean with 3 elements \(one per channel\), got 4"),
    ("bce weight", lambda T: T.nn.functional.binary_cross_entropy(
        T.tensor([0.5, 0.5]), T.tensor([0.0, 1.0]), weight=T.ones(3)), RuntimeError,
     r"binary_cross_entropy: expected weight broadcastable to the input's shape \(2,\), got \(3,\)"),
    ("bce logits pos_weight", lambda T: T.nn.functional.binary_cross_entropy_with_logits(
        T.tensor([0.5, 0.5]), T.tensor([0.0, 1.0]), pos_weight=T.ones(3)), RuntimeError,
     r"binary_cross_entropy_with_logits: expected pos_weight broadcastable to the input's shape"),
    ("BatchNorm1d -1", lambda T: T.nn.BatchNorm1d(-1), RuntimeError,
     r"BatchNorm1d: expected num_features >= 0, got -1"),
    ("Conv2d same stride", lambda T: T.nn.Conv2d(3, 8, 3, padding="same", stride=2), ValueError,
     r"Conv2d\(3, 8, kernel_size=\(3, 3\)\): expected stride 1 with padding='same', got stride"),
    ("hardtanh min > max", lambda T: T.nn.functional.hardtanh(T.ones(2), 1.0, -1.0), ValueError,
     r"hardtanh: expected min_val <= max_val, got 1.0 and -1.0"),
    ("ce probs ignore_index", lambda T: T.nn.functional.cross_entropy(
        T.zeros(3, 4), T.full((3, 4), 0.25), ignore_index=1), ValueError,
     r"cross_entropy: expected ignore_index=-100 with class-probability targets, got 1"),
]  # fmt: skip


@pytest.mark.parametrize("name, call, family, match", CASES, ids=[c[0] for c in CASES])
def test_refused_like_torch_with_a_named_error(name, call, family, match):
    with pytest.raises(Exception):  # noqa: B017 - torch's types vary; that it refuses is the point
        call(torch)
    with pytest.raises(family, match=match):
        call(cr)


def test_index_fill_still_wraps_negative_indices_like_torch():
    ours = _x().index_fill(1, cr.tensor([-1]), 1.0).numpy()
    theirs = torch.zeros(2, 3).index_fill(1, torch.tensor([-1]), 1.0).numpy()
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize(
    "args", [(5,), (0, 1, 0.25), (5, 5), (3, -2, -1), (0.5, 2.5), (10, 0, -3)], ids=str
)
def test_arange_that_torch_accepts_still_agrees(args):
    ours, theirs = cr.arange(*args), torch.arange(*args)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
    assert str(ours.dtype).removeprefix("torch.") == str(theirs.dtype).removeprefix("torch.")


def test_eye_and_reshape_that_torch_accepts_still_agree():
    np.testing.assert_array_equal(cr.eye(2, 3).numpy(), torch.eye(2, 3).numpy())
    np.testing.assert_array_equal(cr.eye(np.int64(0)).numpy(), torch.eye(0).numpy())
    assert tuple(cr.ones(6).reshape(np.int64(2), -1).shape) == (2, 3)
    assert tuple(cr.ones(6).view(cr.Size([3, 2])).shape) == (3, 2)
    assert tuple(cr.randperm(0).shape) == (0,)


def test_a_bias_or_weight_that_broadcasts_is_still_accepted():
    x, t = [0.2, 0.7], [0.0, 1.0]
    ours = F.binary_cross_entropy(cr.tensor(x), cr.tensor(t), weight=cr.tensor([2.0]))
    theirs = torch.nn.functional.binary_cross_entropy(
        torch.tensor(x), torch.tensor(t), weight=torch.tensor([2.0])
    )
    np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-6)
    out = F.linear(cr.ones(2, 3), cr.ones(4, 3), cr.ones(1))
    np.testing.assert_array_equal(out.numpy(), np.full((2, 4), 4.0, dtype=np.float32))


def test_a_refused_batch_norm_leaves_the_running_stats_alone():
    mean, var = cr.zeros(4), cr.ones(4)
    with pytest.raises(ShapeError, match="batch_norm"):
        F.batch_norm(cr.ones(2, 3), mean, var, training=True)
    np.testing.assert_array_equal(mean.numpy(), np.zeros(4, dtype=np.float32))
    np.testing.assert_array_equal(var.numpy(), np.ones(4, dtype=np.float32))


def test_a_refused_in_place_scatter_leaves_the_tensor_and_its_version():
    x = cr.zeros(2, 3)
    version = x._version
    with pytest.raises(ShapeError, match="scatter"):
        x.scatter_(1, cr.tensor([[0, -1]]), 1.0)
    assert x._version == version
    np.testing.assert_array_equal(x.numpy(), np.zeros((2, 3), dtype=np.float32))


def test_same_padding_with_stride_one_still_builds():
    layer = nn.Conv2d(3, 8, 3, padding="same", stride=1)
    assert tuple(layer(cr.ones(1, 3, 5, 5)).shape) == (1, 8, 5, 5)
