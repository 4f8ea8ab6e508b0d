"""cross_entropy and nll_loss on torch's other layouts: (N, C, d1, ...) with per-position
targets (sequences, images) and one unbatched sample (C,), against torch."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr
from chainrule.errors import ShapeError

pytestmark = pytest.mark.oracle

RNG = np.random.default_rng(0)
X = RNG.standard_normal((2, 3, 5)).astype(np.float32)
T = RNG.integers(0, 3, (2, 5))
T[0, 1] = -100  # ignored position
W = np.array([1.0, 2.0, 0.5], np.float32)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("option", ["plain", "weight", "label_smoothing"])
def test_per_position_class_indices_match_torch_in_value_and_gradient(reduction, option):
    def kwargs(lib):
        if option == "weight":
            return {"weight": lib.tensor(W)}
        return {"label_smoothing": 0.1} if option == "label_smoothing" else {}

    xt = torch.tensor(X, requires_grad=True)
    expected = torch.nn.functional.cross_entropy(
        xt, torch.tensor(T), reduction=reduction, **kwargs(torch)
    )
    expected.sum().backward()
    xc = cr.tensor(X, requires_grad=True)
    got = cr.nn.functional.cross_entropy(xc, T, reduction=reduction, **kwargs(cr))
    got.sum().backward()
    assert got.shape == tuple(expected.shape)
    np.testing.assert_allclose(
        got.detach().numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(np.asarray(xc.grad), xt.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_per_position_probabilities_and_the_module_form():
    x = RNG.standard_normal((2, 3, 4, 2)).astype(np.float32)
    p = RNG.random((2, 3, 4, 2)).astype(np.float32)
    p /= p.sum(axis=1, keepdims=True)
    expected = torch.nn.CrossEntropyLoss()(torch.tensor(x), torch.tensor(p)).item()
    assert cr.nn.CrossEntropyLoss()(cr.tensor(x), p).item() == pytest.approx(expected, rel=1e-6)


def test_one_unbatched_sample_and_nll_loss_per_position():
    expected = torch.nn.functional.cross_entropy(torch.tensor(X[0, :, 0]), torch.tensor(1))
    got = cr.nn.functional.cross_entropy(cr.tensor(X[0, :, 0]), np.array(1))
    assert got.shape == () and got.item() == pytest.approx(expected.item(), rel=1e-6)
    labels = np.where(T < 0, 0, T)
    expected = torch.nn.functional.nll_loss(
        torch.log_softmax(torch.tensor(X), 1), torch.tensor(labels), reduction="none"
    )
    got = cr.nn.functional.nll_loss(cr.log_softmax(cr.tensor(X), 1), labels, reduction="none")
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-5)


def test_a_target_of_another_shape_names_both_layouts():
    with pytest.raises(
        ShapeError, match=r"expected a target of shape \(2, 5\) \(class indices\) or"
    ):
        cr.nn.functional.cross_entropy(cr.tensor(X), T[:, :3])
    with pytest.raises(
        ShapeError, match=r"cross_entropy: expected a target of shape \(\) or \(3,\)"
    ):
        cr.nn.functional.cross_entropy(cr.tensor(X[0, :, 0]), np.array([1, 2]))
