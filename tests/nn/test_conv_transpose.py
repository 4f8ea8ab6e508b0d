"""ConvTranspose1d/2d and F.conv_transpose1d/2d against torch: values, gradients, init, state."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr
import chainrule.functional as F
from chainrule import nn
from chainrule.errors import ShapeError
from tests.torch_oracle import TOLERANCE

DTYPES = [np.float32, np.float64]
TORCH_DTYPE = {np.float32: torch.float32, np.float64: torch.float64}
pytestmark = pytest.mark.oracle

CASES_2D = [
    dict(),
    dict(stride=2),
    dict(stride=2, padding=1, output_padding=1),
    dict(stride=(2, 3), padding=(1, 0), output_padding=(0, 2), dilation=(1, 2)),
    dict(dilation=2, output_padding=1),
    dict(stride=2, padding=1, groups=2),
    dict(stride=3, padding=2, output_padding=2, groups=4, dilation=2),
    dict(bias=False, stride=2),
]
CASES_1D = [
    dict(),
    dict(stride=2, padding=1, output_padding=1),
    dict(stride=3, dilation=2, groups=2, output_padding=2),
    dict(bias=False, padding=2, dilation=3),
]


def _pair(ours, theirs):
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})


def _compare(ours, theirs, x, rng, **forward):
    tol = TOLERANCE[x.dtype.type]
    xs, xt = cr.tensor(x.copy(), requires_grad=True), torch.tensor(x.copy(), requires_grad=True)
    out, ref = ours(xs, **forward), theirs(xt, **forward)
    assert out.shape == tuple(ref.shape) and out.dtype == x.dtype
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), **tol)
    upstream = rng.standard_normal(out.shape).astype(x.dtype)
    out.backward(upstream)
    ref.backward(torch.tensor(upstream))
    np.testing.assert_allclose(np.asarray(xs.grad), xt.grad.numpy(), **tol)
    for (name, p), (tname, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert name == tname and np.asarray(p.grad).dtype == x.dtype
        np.testing.assert_allclose(np.asarray(p.grad), tp.grad.numpy(), **tol, err_msg=name)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kwargs", CASES_2D)
def test_conv_transpose2d_matches_torch(kwargs, dtype):
    rng = np.random.default_rng(0)
    ours = nn.ConvTranspose2d(4, 8, (3, 2), dtype=dtype, generator=1, **kwargs)
    theirs = torch.nn.ConvTranspose2d(4, 8, (3, 2), dtype=TORCH_DTYPE[dtype], **kwargs)
    _pair(ours, theirs)
    _compare(ours, theirs, rng.standard_normal((2, 4, 5, 4)).astype(dtype), rng)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kwargs", CASES_1D)
def test_conv_transpose1d_matches_torch(kwargs, dtype):
    rng = np.random.default_rng(1)
    ours = nn.ConvTranspose1d(2, 4, 3, dtype=dtype, generator=2, **kwargs)
    theirs = torch.nn.ConvTranspose1d(2, 4, 3, dtype=TORCH_DTYPE[dtype], **kwargs)
    _pair(ours, theirs)
    _compare(ours, theirs, rng.standard_normal((3, 2, 7)).astype(dtype), rng)


@pytest.mark.parametrize("k", [1, 2])
def test_unbatched_input(k):
    rng = np.random.default_rng(2)
    layer = (nn.ConvTranspose1d, nn.ConvTranspose2d)[k - 1]
    ours = layer(2, 3, 3, stride=2, generator=0)
    theirs = getattr(torch.nn, layer.__name__)(2, 3, 3, stride=2)
    _pair(ours, theirs)
    _compare(ours, theirs, rng.standard_normal((2,) + (5,) * k).astype(np.float32), rng)


@pytest.mark.parametrize("output_size", [[10, 9], [9, 10], [2, 3, 10, 10]])
def test_output_size_picks_output_padding(output_size):
    rng = np.random.default_rng(3)
    ours = nn.ConvTranspose2d(3, 2, 3, stride=(2, 2), padding=1, generator=0)
    theirs = torch.nn.ConvTranspose2d(3, 2, 3, stride=(2, 2), padding=1)
    _pair(ours, theirs)
    x = rng.standard_normal((2, 3, 5, 5)).astype(np.float32)
    _compare(ours, theirs, x, rng, output_size=output_size)


def test_output_size_1d_and_out_of_range():
    rng = np.random.default_rng(4)
    ours = nn.ConvTranspose1d(1, 1, 3, stride=3, generator=0)
    theirs = torch.nn.ConvTranspose1d(1, 1, 3, stride=3)
    _pair(ours, theirs)
    _compare(ours, theirs, rng.standard_normal((1, 1, 4)).astype(np.float32), rng, output_size=[14])
    with pytest.raises(ValueError, match="between 12 and 14"):
        ours(cr.zeros(1, 1, 4), output_size=[15])


def test_state_dict_both_ways():
    ours = nn.ConvTranspose2d(4, 6, 3, groups=2, generator=0)
    theirs = torch.nn.ConvTranspose2d(4, 6, 3, groups=2)
    assert {k: tuple(v.shape) for k, v in ours.state_dict().items()} == {
        k: tuple(v.shape) for k, v in theirs.state_dict().items()
    }
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    for k, v in theirs.state_dict().items():
        np.testing.assert_array_equal(ours.state_dict()[k].numpy(), v.numpy())
    fresh = nn.ConvTranspose2d(4, 6, 3, groups=2, generator=5)
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in fresh.state_dict().items()})
    np.testing.assert_array_equal(theirs.weight.detach().numpy(), fresh.weight.detach().numpy())


def test_default_init_bounds_use_torchs_fan():
    # torch's fan_in for a transposed weight (C_in, C_out / groups, k...) is C_out / groups * k.
    layer = nn.ConvTranspose2d(64, 6, 3, groups=2, generator=0)
    assert layer.weight.shape == (64, 3, 3, 3) and layer.weight.dtype == np.float32
    bound = 1 / math.sqrt(3 * 9)  # kaiming_uniform(a=sqrt(5)) and the bias share this bound
    assert bound * 0.99 < np.abs(layer.weight.detach().numpy()).max() <= bound
    assert np.abs(layer.bias.detach().numpy()).max() <= bound


def test_functional_matches_torch_with_groups_before_dilation():
    rng = np.random.default_rng(5)
    x, w, b = (rng.standard_normal(s) for s in [(2, 4, 3, 5), (4, 3, 2, 3), (6,)])
    args = dict(stride=2, padding=1, output_padding=1, groups=2, dilation=2)
    out = F.conv_transpose2d(cr.tensor(x), cr.tensor(w), cr.tensor(b), **args)
    ref = torch.nn.functional.conv_transpose2d(*map(torch.tensor, (x, w, b)), **args)
    np.testing.assert_allclose(out.numpy(), ref.numpy(), **TOLERANCE[np.float64])
    out = F.conv_transpose2d(cr.tensor(x), cr.tensor(w), None, 2, 1, 1, 2, 2)
    np.testing.assert_allclose(
        out.numpy(), (ref - torch.tensor(b).reshape(-1, 1, 1)).numpy(), **TOLERANCE[np.float64]
    )


def test_refusals():
    with pytest.raises(ValueError, match="padding_mode='zeros'"):
        nn.ConvTranspose2d(2, 2, 3, padding_mode="reflect")
    with pytest.raises(ValueError, match="divisible by groups"):
        nn.ConvTranspose2d(3, 2, 3, groups=2)
    with pytest.raises(ValueError, match="output_padding smaller"):
        nn.ConvTranspose2d(2, 2, 3, output_padding=1)(cr.zeros(1, 2, 4, 4))
    with pytest.raises(ShapeError, match="expected inputs with 2 channels"):
        nn.ConvTranspose1d(2, 2, 3)(cr.zeros(1, 3, 4))
    with pytest.raises(ShapeError, match="at least one pixel"):
        F.conv_transpose2d(cr.zeros(1, 1, 1, 1), cr.zeros(1, 1, 1, 1), padding=1)
