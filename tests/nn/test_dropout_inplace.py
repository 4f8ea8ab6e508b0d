"""``inplace=True`` on every dropout writes into its input, as torch: a script that calls
F.dropout(x, inplace=True) without using the result must still get dropout."""

import numpy as np
import pytest
import torch

import chainrule as cr
import chainrule.nn.functional as F

CASES = [
    ("dropout", (2, 3, 4)),
    ("dropout1d", (2, 3, 4)),
    ("dropout2d", (2, 3, 4, 4)),
    ("dropout3d", (2, 3, 2, 2, 2)),
    ("alpha_dropout", (2, 3, 4)),
    ("feature_alpha_dropout", (2, 3, 4)),
]


@pytest.mark.parametrize("name, shape", CASES)
def test_inplace_writes_the_out_of_place_result_into_the_input(name, shape):
    x = cr.ones(*shape)
    expected = getattr(F, name)(cr.ones(*shape), 0.5, True, False, generator=11)
    result = getattr(F, name)(x, 0.5, True, True, generator=11)
    assert result is x
    np.testing.assert_array_equal(x.numpy(), expected.numpy())
    assert not np.array_equal(x.numpy(), np.ones(shape))


@pytest.mark.parametrize("name, shape", CASES)
def test_inplace_on_an_activation_keeps_the_gradient(name, shape):
    leaf = cr.ones(*shape, requires_grad=True)
    hidden = leaf * 3
    getattr(F, name)(hidden, 0.5, True, True, generator=5)
    hidden.sum().backward()
    reference = cr.ones(*shape, requires_grad=True)
    getattr(F, name)(reference * 3, 0.5, True, False, generator=5).sum().backward()
    np.testing.assert_array_equal(leaf.grad.numpy(), reference.grad.numpy())


@pytest.mark.parametrize("name, shape", CASES)
def test_inplace_on_a_leaf_that_requires_grad_is_refused_as_torch(name, shape):
    with pytest.raises(RuntimeError):
        getattr(F, name)(cr.ones(*shape, requires_grad=True), 0.5, True, True)
    with pytest.raises(RuntimeError):
        getattr(torch.nn.functional, name)(torch.ones(*shape, requires_grad=True), 0.5, True, True)


@pytest.mark.parametrize("name, shape", CASES)
def test_eval_mode_inplace_returns_the_input_untouched(name, shape):
    x = cr.ones(*shape)
    assert getattr(F, name)(x, 0.5, False, True) is x
    np.testing.assert_array_equal(x.numpy(), np.ones(shape))


@pytest.mark.parametrize(
    "name",
    ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"],
)
def test_modules_pass_inplace_on_and_print_it_as_torch(name):
    assert repr(getattr(cr.nn, name)(0.25, inplace=True)) == repr(
        getattr(torch.nn, name)(0.25, inplace=True)
    )
    shape = dict(CASES)[{"Dropout": "dropout", "Dropout1d": "dropout1d", "Dropout2d": "dropout2d",
                         "Dropout3d": "dropout3d", "AlphaDropout": "alpha_dropout",
                         "FeatureAlphaDropout": "feature_alpha_dropout"}[name]]  # fmt: skip
    x, theirs = cr.ones(*shape), torch.ones(*shape)
    layer = getattr(cr.nn, name)(0.5, inplace=True, generator=3).train()
    # torch's AlphaDropout modules do not pass inplace on to the function: out of place there
    in_place = getattr(torch.nn, name)(0.5, inplace=True).train()(theirs) is theirs
    assert in_place == ("Alpha" not in name)
    assert (layer(x) is x) == in_place
    assert np.array_equal(x.numpy(), np.ones(shape)) != in_place
