"""F.linear's weight: (out, in) as nn.Linear keeps it, a vector without a bias as torch allows
(x w, one value per row), and any other shape refused naming the weight, where torch raises."""

import numpy as np
import pytest
import torch

import chainrule as cr


def test_a_vector_weight_without_bias_is_a_product_as_in_torch():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((3, 4)).astype(np.float32), rng.standard_normal(4).astype(np.float32)
    ours_x, ours_w = cr.tensor(x, requires_grad=True), cr.tensor(w, requires_grad=True)
    theirs_x, theirs_w = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    ours, theirs = (
        cr.nn.functional.linear(ours_x, ours_w),
        torch.nn.functional.linear(theirs_x, theirs_w),
    )
    assert tuple(ours.shape) == tuple(theirs.shape) == (3,)
    (ours * ours).sum().backward()
    (theirs * theirs).sum().backward()
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(ours_w.grad.numpy(), theirs_w.grad.numpy(), rtol=1e-5)
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-5)


@pytest.mark.parametrize(
    "weight_shape, bias",
    [((2, 5, 4), None), ((), None), ((4,), 0.5)],
    ids=["3-d", "0-d", "vector with a bias"],
)
def test_other_weights_are_refused_in_both(weight_shape, bias):
    x = np.ones((3, 4), np.float32)
    weight = np.ones(weight_shape, np.float32)
    with pytest.raises(RuntimeError):
        torch.nn.functional.linear(
            torch.tensor(x), torch.tensor(weight), None if bias is None else torch.tensor(bias)
        )
    with pytest.raises(
        cr.errors.ShapeError,
        match=r"linear: expected a weight of shape \(out_features, in_features\)",
    ):
        cr.nn.functional.linear(
            cr.tensor(x), cr.tensor(weight), None if bias is None else cr.tensor(bias)
        )
