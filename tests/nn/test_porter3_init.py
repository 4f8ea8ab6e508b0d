"""nn.init's orthogonal_, trunc_normal_, eye_, dirac_ and calculate_gain against torch's
documented results (the draws differ: chainrule's generator is NumPy's)."""

import math

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (8, 2, 3)])
def test_orthogonal_rows_or_columns_are_orthonormal(shape):
    w = nn.init.orthogonal_(cr.empty(*shape), gain=2.0, generator=0)
    flat = w.numpy().reshape(shape[0], -1).astype(np.float64) / 2.0
    small = flat @ flat.T if flat.shape[0] <= flat.shape[1] else flat.T @ flat
    np.testing.assert_allclose(small, np.eye(len(small)), atol=1e-5)
    assert w.dtype == cr.float32


def test_orthogonal_is_reproducible_from_the_generator_and_refuses_1d():
    a = nn.init.orthogonal_(cr.empty(3, 3), generator=5).numpy()
    np.testing.assert_array_equal(a, nn.init.orthogonal_(cr.empty(3, 3), generator=5).numpy())
    with pytest.raises(ValueError, match="orthogonal_: expected a tensor with at least 2"):
        nn.init.orthogonal_(cr.empty(3))


def test_trunc_normal_stays_in_its_absolute_bounds():
    w = nn.init.trunc_normal_(cr.empty(200, 50), mean=0.5, std=1.0, a=0.0, b=1.0, generator=1)
    values = w.numpy()
    assert values.min() >= 0.0 and values.max() <= 1.0
    assert abs(values.mean() - 0.5) < 0.02  # symmetric window around the mean
    far = nn.init.trunc_normal_(cr.empty(10), mean=0.0, std=1.0, a=30.0, b=31.0, generator=1)
    assert (far.numpy() >= 30.0).all() and (far.numpy() <= 31.0).all()
    with pytest.raises(ValueError, match=r"trunc_normal_\(a=1, b=0\): expected a < b"):
        nn.init.trunc_normal_(cr.empty(3), a=1, b=0)


@pytest.mark.parametrize("shape", [(3, 5), (5, 3)])
def test_eye_matches_torch(shape):
    got = nn.init.eye_(cr.empty(*shape)).numpy()
    np.testing.assert_array_equal(got, torch.nn.init.eye_(torch.empty(*shape)).numpy())


@pytest.mark.parametrize("shape,groups", [((4, 4, 3), 1), ((6, 2, 3, 3), 2), ((2, 4, 1, 3, 3), 1)])
def test_dirac_matches_torch(shape, groups):
    got = nn.init.dirac_(cr.empty(*shape), groups=groups).numpy()
    want = torch.nn.init.dirac_(torch.empty(*shape), groups=groups).numpy()
    np.testing.assert_array_equal(got, want)


def test_calculate_gain_matches_torch_for_every_name():
    names = ["linear", "sigmoid", "tanh", "relu", "selu", "conv1d", "conv2d", "conv3d"]
    names += ["conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]
    for name in names:
        assert math.isclose(nn.init.calculate_gain(name), torch.nn.init.calculate_gain(name))
    assert math.isclose(
        nn.init.calculate_gain("leaky_relu", 0.2), torch.nn.init.calculate_gain("leaky_relu", 0.2)
    )
