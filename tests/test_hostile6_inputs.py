"""Sixth hostile-input round, on this session's new API surface (testing.assert_close, isclose,
margin losses, pad, interpolate, the dropout family, ...). Each case runs on torch first:
chainrule's error must be an instance of the class torch raises, and name who; where torch
answers, chainrule must give the same answer (these were silent wrong answers before)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr

pytestmark = pytest.mark.oracle


def _F(L):
    return L.nn.functional


def _mlm(L, target):
    return _F(L).multilabel_margin_loss(L.tensor([[0.1, 0.2, 0.4]]), L.tensor([target]))


CASES = [
    (
        "assert_close inf vs -inf",
        lambda L: L.testing.assert_close(L.tensor([float("inf")]), L.tensor([float("-inf")])),
        r"not close",
    ),
    (
        "assert_close finite vs inf",
        lambda L: L.testing.assert_close(
            L.tensor([1e30]), L.tensor([float("inf")]), rtol=1.0, atol=0.0
        ),
        r"not close",
    ),
    (
        "isclose negative rtol",
        lambda L: L.isclose(L.ones(1), L.ones(1), rtol=-1.0),
        r"isclose: expected rtol >= 0, got -1.0",
    ),
    (
        "isclose negative atol",
        lambda L: L.isclose(L.ones(1), L.ones(1), atol=-1.0),
        r"isclose: expected atol >= 0, got -1.0",
    ),
    (
        "allclose negative rtol",
        lambda L: L.allclose(L.ones(1), L.ones(1), rtol=-1.0),
        r"allclose: expected rtol >= 0",
    ),
    (
        "multilabel_margin_loss -2 before the end",
        lambda L: _mlm(L, [2, -2, 0]),
        r"multilabel_margin_loss: expected target indices in \[-1, 2\], got -2",
    ),
    (
        "multilabel_margin_loss -2 first",
        lambda L: _mlm(L, [-2, 0, 1]),
        r"multilabel_margin_loss: expected target indices in \[-1, 2\], got -2",
    ),
    (
        "multilabel_margin_loss 5 after the -1",
        lambda L: _mlm(L, [2, -1, 5]),
        r"multilabel_margin_loss: expected target indices in \[-1, 2\], got 5",
    ),
    (
        "multi_margin_loss weight too short",
        lambda L: _F(L).multi_margin_loss(L.ones(2, 3), L.tensor([0, 1]), weight=L.ones(2)),
        r"multi_margin_loss: expected a weight of shape \(3,\), one per class, got \(2,\)",
    ),
    (
        "multi_margin_loss weight too long",
        lambda L: _F(L).multi_margin_loss(L.ones(2, 3), L.tensor([0, 1]), weight=L.ones(4)),
        r"multi_margin_loss: expected a weight of shape \(3,\)",
    ),
    (
        "MultiMarginLoss weight (1, 3)",
        lambda L: L.nn.MultiMarginLoss(weight=L.ones(1, 3))(L.ones(2, 3), L.tensor([0, 1])),
        r"multi_margin_loss: expected a weight of shape \(3,\), one per class, got \(1, 3\)",
    ),
    (
        "interpolate scale_factor nan",
        lambda L: _F(L).interpolate(L.ones(1, 2, 4, 4), scale_factor=float("nan")),
        r"interpolate.*expected a finite scale_factor, got nan",
    ),
    (
        "Upsample scale_factor inf",
        lambda L: L.nn.Upsample(scale_factor=float("inf"))(L.ones(1, 2, 4, 4)),
        r"expected a finite scale_factor, got inf",
    ),
    (
        "dropout of integers",
        lambda L: _F(L).dropout(L.ones(3, dtype=L.int64)),
        r"dropout: expected floating-point input, got dtype int64",
    ),
    (
        "dropout of bools",
        lambda L: _F(L).dropout(L.ones(3, dtype=L.bool)),
        r"dropout: expected floating-point input, got dtype bool",
    ),
    (
        "dropout1d of integers",
        lambda L: _F(L).dropout1d(L.ones(2, 3, 4, dtype=L.int64)),
        r"dropout1d: expected floating-point input, got dtype int64",
    ),
    (
        "dropout2d of integers",
        lambda L: _F(L).dropout2d(L.ones(2, 3, 4, 4, dtype=L.int64)),
        r"dropout2d: expected floating-point input",
    ),
    (
        "dropout3d of integers",
        lambda L: _F(L).dropout3d(L.ones(1, 2, 3, 4, 4, dtype=L.int64)),
        r"dropout3d: expected floating-point input",
    ),
    (
        "alpha_dropout of integers",
        lambda L: _F(L).alpha_dropout(L.ones(2, 3, dtype=L.int64), training=True),
        r"alpha_dropout: expected floating-point input",
    ),
    (
        "feature_alpha_dropout of integers",
        lambda L: _F(L).feature_alpha_dropout(L.ones(2, 3, 4, dtype=L.int64), training=True),
        r"alpha_dropout: expected floating-point input",
    ),
    (
        "trapezoid x shorter than y",
        lambda L: L.trapezoid(L.tensor([1.0, 2.0, 3.0]), L.tensor([1.0, 2.0])),
        r"trapezoid: expected one x value for each of the 3 samples, got 2",
    ),
    (
        "cumulative_trapezoid x shorter than y",
        lambda L: L.cumulative_trapezoid(L.tensor([1.0, 2.0, 3.0]), L.tensor([1.0, 2.0])),
        r"cumulative_trapezoid: expected one x value for each of the 3 samples, got 2",
    ),
    (
        "index_copy index past the end",
        lambda L: L.zeros(3).index_copy(0, L.tensor([3]), L.tensor([1.0])),
        r"index_copy: expected index values in \[0, 3\), got \[3, 3\]",
    ),
    (
        "index_copy negative index",
        lambda L: L.zeros(3).index_copy(0, L.tensor([-1]), L.tensor([1.0])),
        r"index_copy: expected index values in \[0, 3\), got \[-1, -1\]",
    ),
    (
        "index_copy source too short",
        lambda L: L.zeros(3).index_copy(0, L.tensor([0, 1]), L.tensor([1.0])),
        r"index_copy: expected source of shape \(2,\), got \(1,\)",
    ),
    (
        "index_add index past the end",
        lambda L: L.zeros(3).index_add(0, L.tensor([3]), L.tensor([1.0])),
        r"index_add: expected index values in \[0, 3\)",
    ),
    (
        "take index past the end",
        lambda L: L.take(L.ones(2, 2), L.tensor([4])),
        r"take: expected indices in \[-4, 3\], got 4..4",
    ),
    (
        "put index past the end",
        lambda L: L.zeros(3).put(L.tensor([3]), L.tensor([1.0])),
        r"put: expected indices in \[-3, 2\], got 3..3",
    ),
    (
        "put source shorter than index",
        lambda L: L.zeros(3).put(L.tensor([0, 1]), L.tensor([1.0])),
        r"put: expected a source of 2 elements, one per index, got 1",
    ),
    (
        "hsplit into 0 sections",
        lambda L: L.hsplit(L.ones(4), 0),
        r"hsplit: expected a number of sections > 0, got 0",
    ),
    ("rot90 float k", lambda L: L.rot90(L.ones(2, 2), 1.5), r"rot90: expected an integer k"),
    (
        "cartesian_prod of a matrix",
        lambda L: L.cartesian_prod(L.ones(2, 2), L.ones(2)),
        r"cartesian_prod: expected 1-D tensors, got \(2, 2\)",
    ),
    (
        "combinations r=-1",
        lambda L: L.combinations(L.ones(3), r=-1),
        r"combinations: expected an integer r >= 0, got -1",
    ),
]


@pytest.mark.parametrize("name, call, match", CASES, ids=[c[0] for c in CASES])
def test_refused_as_torch_refuses_with_an_error_that_names_who(name, call, match):
    with pytest.raises(Exception) as theirs:  # noqa: PT011 - the class is what we compare
        call(torch)
    with pytest.raises(type(theirs.value), match=match):
        call(cr)


def test_dropout_of_integers_outside_training_is_the_input_as_in_torch():
    x = cr.ones(2, 3, 4, dtype=cr.int64)
    assert cr.nn.functional.dropout1d(x, training=False) is x
    assert cr.nn.functional.dropout(x, p=0.0) is x


def test_assert_close_still_passes_equal_infinities_and_near_values():
    cr.testing.assert_close(cr.tensor([float("inf"), -float("inf")]), cr.tensor([np.inf, -np.inf]))
    cr.testing.assert_close(cr.tensor([1.0]), cr.tensor([1.0 + 1e-7]))


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8"])
def test_pad_keeps_an_integer_dtype_as_torch(mode, dtype):
    # it gave float32 before: a silent change of dtype that turned ids into floats
    data = np.arange(1, 7, dtype=dtype).reshape(1, 2, 3)
    ours = cr.nn.functional.pad(cr.tensor(data), (1, 2), mode=mode)
    theirs = torch.nn.functional.pad(torch.from_numpy(data.copy()), (1, 2), mode=mode)
    assert ours.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_pad_of_integers_casts_the_fill_value_as_torch():
    x = np.array([[[1, 2, 3]]])
    ours = cr.nn.functional.pad(cr.tensor(x), (1, 1), value=7.5)
    theirs = torch.nn.functional.pad(torch.tensor(x), (1, 1), value=7.5)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_pad_of_bools_stays_bool_as_in_torch():
    x = np.array([[[True, False]]])
    ours = cr.nn.functional.pad(cr.tensor(x), (1, 1))
    theirs = torch.nn.functional.pad(torch.tensor(x), (1, 1))
    assert ours.dtype == np.bool_
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_multi_margin_loss_with_a_right_weight_still_matches_torch():
    x, y, w = np.array([[0.1, 0.9, 0.3], [0.5, 0.2, 0.7]], np.float32), [0, 2], [1.0, 2.0, 3.0]
    ours = cr.nn.functional.multi_margin_loss(cr.tensor(x), cr.tensor(y), weight=cr.tensor(w))
    theirs = torch.nn.functional.multi_margin_loss(
        torch.tensor(x), torch.tensor(y), weight=torch.tensor(w)
    )
    np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-6)


def test_index_copy_with_a_repeated_index_keeps_the_last_slice_as_torch():
    # index_add summed the repeated slices: 1 + 2 = 3 where torch writes 2
    index = [2, 0, 2, 1]
    ours = cr.zeros(3, 2).index_copy(0, cr.tensor(index), cr.arange(8.0).reshape(4, 2))
    theirs = torch.zeros(3, 2).index_copy(0, torch.tensor(index), torch.arange(8.0).reshape(4, 2))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_block_diag_promotes_int_and_float32_to_float32_as_torch():
    ours = cr.block_diag(cr.ones(2, 2), cr.tensor([[1, 2]]))
    assert ours.dtype == np.float32  # NumPy's rule gave float64
    assert str(torch.block_diag(torch.ones(2, 2), torch.tensor([[1, 2]])).dtype) == "torch.float32"


def test_combinations_refuses_a_result_larger_than_memory_before_building_it():
    # it built a Python list of C(10000, 5) tuples until the machine killed the process
    with pytest.raises(cr.ShapeError, match=r"combinations: expected a result that fits in memory"):
        cr.combinations(cr.ones(10000), r=5)


@pytest.mark.parametrize("r, replace", [(0, False), (2, False), (2, True), (4, False), (4, True)])
def test_combinations_still_match_torch(r, replace):
    ours = cr.combinations(cr.arange(4.0), r=r, with_replacement=replace)
    theirs = torch.combinations(torch.arange(4.0), r=r, with_replacement=replace)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
