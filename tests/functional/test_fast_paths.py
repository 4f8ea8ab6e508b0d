"""The speed tricks of issue 16 give the same bits as the plain formulas they replace."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.functional as F
from chainrule.autograd.function import unbroadcast
from chainrule.functional.activation import sigmoid_array
from chainrule.functional.arithmetic import Add, Mul, PowScalar, Sub
from chainrule.functional.reduction import Mean


def _grid(dtype):
    """Dense values of every magnitude, the subnormals, +-800 and the special values."""
    info = np.finfo(dtype)
    mags = np.geomspace(info.smallest_subnormal, float(info.max) / 4, 4000, dtype=np.float64)
    values = np.concatenate([mags, -mags, [0.0, -0.0, 800.0, -800.0, np.inf, -np.inf, np.nan]])
    return np.concatenate([values, np.linspace(-120, 120, 20001)]).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("axis", [None, (0,), (1,), (0, 1)])
@pytest.mark.parametrize("keepdim", [False, True])
def test_mean_is_np_mean_to_the_bit(rng, dtype, axis, keepdim):
    for rows, cols in ((1, 1), (7, 3), (64, 10), (300, 5)):
        x = (rng.standard_normal((rows, cols)) * 10.0 ** rng.integers(-20, 20)).astype(dtype)
        got = Mean.forward(Mean(), x, axis, keepdim)
        expected = np.asarray(np.mean(x, axis=axis, keepdims=keepdim))
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_array_equal(got, expected, strict=True)


def test_mean_of_float16_keeps_np_mean_and_of_nothing_is_nan_without_a_warning():
    x = np.full(5000, 60000.0, dtype=np.float16)  # a float16 sum would overflow; np.mean's doesn't
    assert Mean.forward(Mean(), x, None, False) == np.mean(x)
    assert np.isnan(Mean.forward(Mean(), np.zeros(0, np.float32), None, False))  # as torch


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_the_plain_formula_to_the_bit_without_warnings(dtype):
    x = _grid(dtype)
    with np.errstate(over="ignore"):
        expected = 1.0 / (1.0 + np.exp(-x))
    np.testing.assert_array_equal(sigmoid_array(x), expected.astype(dtype), strict=True)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_square_is_x_to_the_two_to_the_bit(dtype):
    x = _grid(dtype)
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(PowScalar.forward(PowScalar(), x, 2), x**2, strict=True)
        np.testing.assert_array_equal(
            PowScalar.forward(PowScalar(), x[:50], 2.0), x[:50] ** 2.0, strict=True
        )


def test_ops_with_into_write_their_eager_result_there(rng):
    a = rng.standard_normal((4, 3)).astype(np.float32)
    b = rng.standard_normal(3).astype(np.float32)
    s = np.asarray(np.float32(0.5))
    cases = [
        (Add, (a, b), {}),
        (Sub, (s, a), {}),
        (Mul, (a, s), {}),
        (Mean, (a,), {"axes": None, "keepdim": False}),
        (Mean, (a,), {"axes": (1,), "keepdim": True}),
        (Mean, (a.astype(np.float16),), {"axes": None, "keepdim": False}),
        (PowScalar, (a,), {"exponent": 2}),
        (PowScalar, (a,), {"exponent": 3}),
    ]
    for fn, args, config in cases:
        eager = fn.forward(fn(), *args, **config)
        into = np.empty_like(np.asarray(eager))
        assert fn.forward(fn(), *args, into=into, **config) is into
        np.testing.assert_array_equal(into, eager, strict=True)


def test_a_scalar_parameters_gradient_is_the_unbroadcast_sum(rng):
    x = cr.tensor(rng.standard_normal(10).astype(np.float32))
    a = cr.tensor(np.float32(1.5), requires_grad=True)
    (a * x + a).sum().backward()
    expected = unbroadcast(x.numpy(), ()) + unbroadcast(np.ones(10, np.float32), ())
    assert a.grad.shape == () and a.grad.numpy() == expected


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint64])
def test_every_label_outside_the_classes_is_still_refused(dtype):
    logits = cr.zeros(3, 4)
    labels = np.array([0, 3, 1], dtype=dtype)
    assert np.isfinite(F.cross_entropy(logits, labels).item())
    for bad in ([0, 4, 1], [0, -1, 1] if np.dtype(dtype).kind == "i" else [0, 255, 1]):
        with pytest.raises(IndexError, match="expected class indices in"):
            F.cross_entropy(logits, np.array(bad).astype(dtype))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_losses_with_into_write_their_eager_result_there(rng, reduction):
    from chainrule.functional.binary_loss import BCELoss, BCEWithLogitsLoss
    from chainrule.functional.classification_loss import CrossEntropyLoss, NLLLoss

    x = rng.standard_normal((6, 3)).astype(np.float32)
    p, t = sigmoid_array(x), (rng.random((6, 3)) > 0.5).astype(np.float32)
    labels = rng.integers(0, 3, 6)
    cases = [
        (BCELoss, (p, t), {"weight": None, "epsilon": None}),
        (BCEWithLogitsLoss, (x, t), {"weight": None, "pos_weight": None}),
        (CrossEntropyLoss, (x,), {"target": labels, "denominator": 6.0}),
        (NLLLoss, (x,), {"target": labels, "denominator": 0.0}),  # all ignored: NaN mean
    ]
    for fn, args, config in cases:
        eager = fn.forward(fn(), *args, reduction=reduction, **config)
        into = np.empty_like(eager)
        assert fn.forward(fn(), *args, reduction=reduction, into=into, **config) is into
        np.testing.assert_array_equal(into, eager, strict=True)
