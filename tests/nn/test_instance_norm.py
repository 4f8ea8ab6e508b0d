"""nn.InstanceNorm1d/2d/3d against torch: values and gradients, affine or not, batched or not."""

import numpy as np
import pytest
import torch

import chainrule as cr


@pytest.mark.parametrize(
    "name, shape",
    [
        ("InstanceNorm1d", (2, 3, 5)),
        ("InstanceNorm2d", (2, 3, 4, 5)),
        ("InstanceNorm3d", (2, 3, 2, 3, 4)),
    ],
)
@pytest.mark.parametrize("affine", [False, True])
@pytest.mark.parametrize("batched", [True, False])
def test_instance_norm_matches_torch(name, shape, affine, batched):
    shape = shape if batched else shape[1:]
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32) * 3 + 1
    ours, theirs = getattr(cr.nn, name)(3, affine=affine), getattr(torch.nn, name)(3, affine=affine)
    if affine:
        w, b = np.float32([0.5, 1.5, -1.0]), np.float32([0.1, -0.2, 0.3])
        ours.weight.data[...], ours.bias.data[...] = w, b
        with torch.no_grad():
            theirs.weight.copy_(torch.from_numpy(w))
            theirs.bias.copy_(torch.from_numpy(b))
    a, t = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, ref = ours(a), theirs(t)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-5, atol=1e-5)
    g = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    (out * cr.tensor(g)).sum().backward()
    (ref * torch.from_numpy(g)).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), t.grad.numpy(), rtol=1e-4, atol=1e-5)
    if affine:
        np.testing.assert_allclose(
            ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-4, atol=1e-5
        )


def test_instance_norm_refuses_what_it_does_not_do():
    with pytest.raises(
        ValueError, match=r"InstanceNorm2d\(3\): expected track_running_stats=False"
    ):
        cr.nn.InstanceNorm2d(3, track_running_stats=True)
    with pytest.raises(
        cr.errors.ShapeError, match=r"InstanceNorm2d\(3\): expected inputs of shape"
    ):
        cr.nn.InstanceNorm2d(3)(cr.zeros(2, 4, 5, 5))
