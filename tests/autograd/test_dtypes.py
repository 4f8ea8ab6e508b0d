import numpy as np
import pytest

import chainrule as cr
import chainrule.functional as F
from chainrule import DTypeError


def test_default_dtype_is_float32_as_in_torch_and_switchable():
    assert cr.tensor([1.0]).dtype == np.float32 and cr.get_default_dtype() == cr.float32
    assert cr.tensor(np.array([1.0])).dtype == np.float64  # an ndarray keeps its dtype
    assert cr.tensor(np.float32(2.5)).dtype == np.float32
    assert cr.nn.Linear(2, 3).weight.dtype == np.float32
    cr.set_default_dtype(cr.float64)
    assert cr.tensor([1.0]).dtype == np.float64
    assert cr.randn(2).dtype == np.float64
    assert cr.nn.Linear(2, 3).weight.dtype == np.float64
    with pytest.raises(DTypeError, match="float32 or float64, got int32"):
        cr.set_default_dtype(np.int32)


@pytest.mark.parametrize("scalar", [2.0, np.float64(2.0), np.array(2.0), 2])
def test_float32_survives_any_scalar(scalar):
    x = cr.tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    for y in (x * scalar, x + scalar, x / scalar, scalar - x, x**scalar, F.maximum(x, scalar)):
        assert y.dtype == np.float32
        y.sum().backward()
        assert x.grad.dtype == np.float32


def test_mixing_float32_and_float64_says_how_to_convert():
    a = cr.tensor(np.ones(2, dtype=np.float32))
    b = cr.tensor(np.ones(2, dtype=np.float64))
    with pytest.raises(
        DTypeError,
        match=r"(?s)mul: expected inputs of one float dtype, got float32 and float64.*\.to\(chainrule\.float32\)",
    ):
        a * b
    with pytest.raises(
        DTypeError,
        match=r"(?s)add: expected inputs of one float dtype, got float32 and float64.*\.to\(chainrule\.float32\)",
    ):
        a + b
    with pytest.raises(
        DTypeError,
        match=r"add: expected an array of dtype float32 to match the tensor, got float64.\nHint: convert it with x.astype\(np.float32\)",  # noqa: E501
    ):
        a + np.ones(2)
    with pytest.raises(
        DTypeError,
        match=r"mul: expected an array of dtype float32 to match the tensor, got float64",
    ):
        a * np.ones(2)


def test_integer_tensor_meets_float_as_float():
    x = cr.tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    labels = cr.tensor([0, 1])
    y = x * labels
    assert y.dtype == np.float32


def test_to_converts_and_carries_gradient_back():
    x = cr.tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x.to(np.float32) * 2.0
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float64
