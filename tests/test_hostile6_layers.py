"""Sixth hostile-input round, layers: lp_pool at p = inf, weight_norm and parametrize given
what torch refuses, embedding_bag's padding_idx, the 3-d pools' sizes. Each case runs on torch
first: chainrule's error must be an instance of the class torch raises, and name who."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr

pytestmark = pytest.mark.oracle


def _F(L):
    return L.nn.functional


def _quiet(call):
    """torch's old weight_norm warns that it is deprecated; the test is about its error."""

    def run(L):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            return call(L)

    return run


CASES = [
    (
        "weight_norm dim 3 of a matrix",
        _quiet(lambda L: L.nn.utils.weight_norm(L.nn.Linear(2, 3), dim=3)),
        r"weight_norm: expected dim in \[-2, 1\] for a tensor of shape \(3, 2\), got 3",
    ),
    (
        "parametrizations.weight_norm dim 2",
        lambda L: L.nn.utils.parametrizations.weight_norm(L.nn.Linear(2, 3), dim=2),
        r"weight_norm: expected dim in \[-2, 1\]",
    ),
    (
        "weight_norm missing name",
        _quiet(lambda L: L.nn.utils.weight_norm(L.nn.Linear(2, 3), name="nope")),
        r"weight_norm: expected a module with a parameter 'nope', got Linear",
    ),
    (
        "spectral_norm missing name",
        lambda L: L.nn.utils.spectral_norm(L.nn.Linear(2, 3), name="nope"),
        r"spectral_norm: expected a module with a parameter 'nope', got Linear",
    ),
    (
        "register_parametrization changing the shape",
        lambda L: L.nn.utils.parametrize.register_parametrization(
            L.nn.Linear(2, 3), "weight", L.nn.Flatten(0)
        ),
        r"register_parametrization: expected a parametrization that keeps shape \(3, 2\)",
    ),
    (
        "embedding_bag padding_idx past the end",
        lambda L: _F(L).embedding_bag(
            L.tensor([0, 1, 2]), L.ones(3, 2), L.tensor([0, 1]), padding_idx=5
        ),
        r"embedding_bag\(mode='mean'\): expected padding_idx in \[-3, 2\]",
    ),
    (
        "embedding_bag index past the end",
        lambda L: _F(L).embedding_bag(L.tensor([0, 1, 3]), L.ones(3, 2), L.tensor([0])),
        r"embedding\(3, 2\): expected indices in \[0, 2\], got 3",
    ),
    (
        "embedding index past the end",
        lambda L: _F(L).embedding(L.tensor([3]), L.ones(3, 2)),
        r"embedding\(3, 2\): expected indices in \[0, 2\], got 3",
    ),
    (
        "avg_pool3d padding above half the kernel",
        lambda L: _F(L).avg_pool3d(L.ones(1, 1, 4, 4, 4), 2, padding=2),
        r"avg_pool3d\(kernel_size=2\): expected padding at most half the kernel size",
    ),
    (
        "max_pool3d kernel 0",
        lambda L: _F(L).max_pool3d(L.ones(1, 1, 4, 4, 4), 0),
        r"max_pool3d\(kernel_size=0\): expected kernel_size of ints >= 1, got \(0, 0, 0\)",
    ),
    (
        "conv3d stride 0",
        lambda L: _F(L).conv3d(L.ones(1, 1, 4, 4, 4), L.ones(1, 1, 2, 2, 2), stride=0),
        r"expected stride of ints >= 1",
    ),
    (
        "adaptive_avg_pool3d size -1",
        lambda L: _F(L).adaptive_avg_pool3d(L.ones(1, 1, 4, 4, 4), -1),
        r"adaptive_avg_pool3d\(output_size=-1\): expected output_size of ints >= 0",
    ),
]


@pytest.mark.parametrize("name, call, match", CASES, ids=[c[0] for c in CASES])
def test_refused_as_torch_refuses_with_an_error_that_names_who(name, call, match):
    with pytest.raises(Exception) as theirs:  # noqa: PT011 - the class is what we compare
        call(torch)
    with pytest.raises(type(theirs.value), match=match):
        call(cr)


@pytest.mark.parametrize("p", [float("inf"), -float("inf")])
def test_lp_pool_at_infinite_p_is_the_max_or_min_of_abs_as_torch(p):
    # chainrule gave 1 everywhere: x^inf overflowed, and inf^(1/inf) is 1
    x = np.array([[[-1.0, 2.0, -3.0, 0.5, 4.0, -0.25]]], np.float32)
    for ours, theirs in [
        (cr.nn.functional.lp_pool1d(cr.tensor(x), p, 2), torch.nn.functional.lp_pool1d(
            torch.tensor(x), p, 2)),
        (cr.nn.LPPool2d(p, (1, 2))(cr.tensor(x[None])), torch.nn.LPPool2d(p, (1, 2))(
            torch.tensor(x[None]))),
    ]:  # fmt: skip
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_a_refused_parametrization_leaves_the_module_as_it_was():
    layer = cr.nn.Linear(2, 3)
    before = layer.weight.detach().clone()
    with pytest.raises(cr.ArgumentError):
        cr.nn.utils.parametrize.register_parametrization(layer, "weight", cr.nn.Flatten(0))
    assert type(layer) is cr.nn.Linear and "weight" in dict(layer.named_parameters())
    np.testing.assert_array_equal(layer.weight.detach().numpy(), before.numpy())
    cr.nn.utils.parametrize.register_parametrization(layer, "weight", cr.nn.Identity())
    with pytest.raises(cr.ArgumentError):
        cr.nn.utils.parametrize.register_parametrization(layer, "weight", cr.nn.Flatten(0))
    assert len(layer.parametrizations.weight) == 1
    assert tuple(layer(cr.ones(1, 2)).shape) == (1, 3)


def test_unsafe_parametrization_may_change_the_shape_as_in_torch():
    layer = cr.nn.Linear(2, 3)
    cr.nn.utils.parametrize.register_parametrization(layer, "weight", cr.nn.Flatten(0), unsafe=True)
    assert tuple(layer.weight.shape) == (6,)
