"""hostile9: fractional_max_pool3d and nn.FractionalMaxPool3d against torch 2.13, with fixed
_random_samples: values, indices, gradients, batched and unbatched, and torch's refusals."""

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")


@pytest.mark.parametrize(
    "kernel, out", [(2, (4, 3, 3)), ((3, 2, 2), (5, 6, 4)), (2, 1), (1, (8, 7, 6))], ids=str
)
def test_fractional_max_pool3d_matches_torch_values_indices_and_gradient(kernel, out):
    rng = np.random.default_rng(3)
    x, u = rng.standard_normal((2, 3, 9, 8, 7)), rng.random((2, 3, 3))
    results = []
    for lib in (chainrule, torch):
        t = lib.tensor(x, requires_grad=True)
        y, indices = lib.nn.functional.fractional_max_pool3d(
            t, kernel, output_size=out, return_indices=True, _random_samples=lib.tensor(u)
        )
        (y * lib.tensor(np.arange(y.numel()).reshape(tuple(y.shape)) % 5)).sum().backward()
        results.append((y.detach().numpy(), indices.numpy(), t.grad.numpy()))
    for ours, theirs in zip(*results):
        assert ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours, theirs)


def test_fractional_max_pool3d_unbatched_and_by_ratio_match_torch():
    rng = np.random.default_rng(4)
    x, u = rng.standard_normal((2, 8, 8, 6)).astype(np.float32), rng.random((1, 2, 3))
    outs = [
        lib.nn.functional.fractional_max_pool3d(
            lib.tensor(x), 2, output_ratio=0.5, _random_samples=lib.tensor(u, dtype=lib.float32)
        ).numpy()
        for lib in (chainrule, torch)
    ]
    np.testing.assert_array_equal(*outs)


def test_fractional_max_pool3d_module_draws_windows_from_the_default_generator():
    chainrule.manual_seed(0)
    y = chainrule.nn.FractionalMaxPool3d((2, 2, 2), output_ratio=(0.5, 0.5, 0.5))(
        chainrule.randn(1, 2, 8, 8, 8)
    )
    assert y.shape == (1, 2, 4, 4, 4) and y.dtype == chainrule.float32


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.nn.FractionalMaxPool3d(2, output_ratio=1.5),
        lambda lib: lib.nn.FractionalMaxPool3d(2),
        lambda lib: lib.nn.functional.fractional_max_pool3d(
            lib.ones(1, 1, 9, 8, 7), 2, output_size=(8, 3, 3)
        ),  # output + kernel - 1 must stay below the input: torch's 3-d rule
        lambda lib: lib.nn.functional.fractional_max_pool3d(
            lib.ones(1, 1, 4, 4, 4), 2, output_size=2, _random_samples=lib.ones(1, 1, 2) / 2
        ),
        lambda lib: lib.nn.functional.fractional_max_pool3d(lib.ones(1, 4, 4), 2, output_size=2),
    ],
)
def test_fractional_max_pool3d_refusals_match_torch_classes(call):
    with pytest.raises(Exception) as expected:
        call(torch)
    with pytest.raises(expected.type):
        call(chainrule)
