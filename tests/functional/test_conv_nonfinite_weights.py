"""A stride-1 convolution's input gradient (and a stride-1 transposed convolution's output)
is folded on the padded-width grid, where zero columns meet every weight. An inf or NaN weight
times those zeros is NaN, which must not land on pixels where torch's sum has no such term."""

import numpy as np
import pytest
import torch

import chainrule as cr


def _weights_with(values, shape, seed=0):
    w = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    w[1, 2, 0, 0], w[2, 0, 2, 2] = values
    return w


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("stride,padding", [(1, 1), (1, 0), (1, 2), (2, 1)])
@pytest.mark.parametrize("values", [(np.inf, np.nan), (-np.inf, 1.0), (np.nan, np.nan)])
def test_conv2d_input_gradient_with_nonfinite_weights_matches_torch(stride, padding, values):
    x = np.random.default_rng(1).standard_normal((2, 3, 5, 6)).astype(np.float32)
    w = _weights_with(values, (4, 3, 3, 3))
    tx = torch.tensor(x, requires_grad=True)
    torch.nn.functional.conv2d(tx, torch.tensor(w), stride=stride, padding=padding).sum().backward()
    cx = cr.tensor(x, requires_grad=True)
    cr.nn.functional.conv2d(cx, cr.tensor(w), stride=stride, padding=padding).sum().backward()
    expected, got = tx.grad.numpy(), cx.grad.numpy()
    assert np.array_equal(np.isnan(expected), np.isnan(got))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5, equal_nan=True)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("padding", [0, 1])
def test_conv_transpose2d_with_nonfinite_weights_matches_torch(padding):
    x = np.random.default_rng(2).standard_normal((2, 4, 5, 6)).astype(np.float32)
    w = _weights_with((np.inf, np.nan), (4, 3, 3, 3))
    expected = torch.nn.functional.conv_transpose2d(
        torch.tensor(x), torch.tensor(w), padding=padding
    ).numpy()
    got = cr.nn.functional.conv_transpose2d(cr.tensor(x), cr.tensor(w), padding=padding).numpy()
    assert np.array_equal(np.isnan(expected), np.isnan(got))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5, equal_nan=True)


def test_conv1d_input_gradient_with_an_inf_weight_matches_torch():
    x = np.random.default_rng(3).standard_normal((2, 3, 9)).astype(np.float32)
    w = np.random.default_rng(4).standard_normal((4, 3, 3)).astype(np.float32)
    w[0, 1, 0] = np.inf
    tx = torch.tensor(x, requires_grad=True)
    torch.nn.functional.conv1d(tx, torch.tensor(w), padding=1).sum().backward()
    cx = cr.tensor(x, requires_grad=True)
    with np.errstate(invalid="ignore"):
        cr.nn.functional.conv1d(cx, cr.tensor(w), padding=1).sum().backward()
    np.testing.assert_allclose(cx.grad.numpy(), tx.grad.numpy(), rtol=1e-5, equal_nan=True)
