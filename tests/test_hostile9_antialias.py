"""hostile9: interpolate(..., antialias=True) for bilinear and bicubic against torch 2.13:
values and gradients, shrinking and growing, align_corners, float32 and float64."""

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")

_SIZES = [
    dict(size=(5, 4)),
    dict(size=(8, 6)),
    dict(scale_factor=0.3),
    dict(scale_factor=0.3, recompute_scale_factor=True),
    dict(size=(30, 20)),
    dict(size=(17, 5)),
    dict(size=(1, 1)),
    dict(scale_factor=(0.5, 2.0)),
]


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("sizes", _SIZES, ids=str)
def test_antialiased_resize_matches_torch_values_and_gradients(mode, align_corners, sizes):
    x = np.random.default_rng(9).standard_normal((2, 3, 17, 13))
    results = []
    for lib in (chainrule, torch):
        t = lib.tensor(x, requires_grad=True)
        y = lib.nn.functional.interpolate(
            t, mode=mode, align_corners=align_corners, antialias=True, **sizes
        )
        upstream = np.arange(y.numel(), dtype=np.float64).reshape(tuple(y.shape)) % 7 - 3
        (y * lib.tensor(upstream)).sum().backward()
        results.append((y.detach().numpy(), t.grad.numpy()))
    (ours, our_grad), (theirs, their_grad) = results
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(our_grad, their_grad, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
def test_antialiased_resize_keeps_float32(mode):
    x = np.random.default_rng(1).standard_normal((1, 2, 16, 16)).astype(np.float32)
    ours = chainrule.nn.functional.interpolate(
        chainrule.tensor(x), size=(5, 7), mode=mode, antialias=True
    )
    theirs = torch.nn.functional.interpolate(
        torch.tensor(x), size=(5, 7), mode=mode, antialias=True
    )
    assert ours.dtype == chainrule.float32
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=2e-4, atol=2e-5)


@pytest.mark.parametrize(
    "mode, shape",
    [("nearest", (1, 1, 4, 4)), ("linear", (1, 1, 4)), ("trilinear", (1, 1, 2, 2, 2))],
)
def test_antialias_outside_bilinear_and_bicubic_on_4d_is_refused_as_torch(mode, shape):
    for lib in (torch, chainrule):
        with pytest.raises(ValueError):
            lib.nn.functional.interpolate(lib.ones(*shape), size=2, mode=mode, antialias=True)
