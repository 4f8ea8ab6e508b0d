"""PixelShuffle, PixelUnshuffle, ChannelShuffle, Fold, UpsamplingNearest2d/Bilinear2d, Bilinear,
Dropout1d/3d, AlphaDropout and FeatureAlphaDropout against torch."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from chainrule.gradcheck import gradcheck  # noqa: E402
from tests.torch_oracle import TOLERANCE, compare  # noqa: E402

pytestmark = pytest.mark.oracle

DTYPES = [np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda nn: nn.PixelShuffle(2), (2, 8, 3, 4)),
        (lambda nn: nn.PixelShuffle(3), (9, 2, 2)),
        (lambda nn: nn.PixelShuffle(2), (2, 1, 4, 2, 3)),
        (lambda nn: nn.PixelUnshuffle(2), (2, 3, 4, 6)),
        (lambda nn: nn.PixelUnshuffle(3), (1, 6, 3)),
        (lambda nn: nn.ChannelShuffle(2), (2, 6, 3, 3)),
        (lambda nn: nn.ChannelShuffle(3), (2, 6, 5)),
        (lambda nn: nn.UpsamplingNearest2d(scale_factor=2), (2, 3, 4, 5)),
        (lambda nn: nn.UpsamplingNearest2d(size=(7, 3)), (1, 2, 4, 5)),
        (lambda nn: nn.UpsamplingBilinear2d(scale_factor=2), (2, 3, 4, 5)),
        (lambda nn: nn.UpsamplingBilinear2d(size=(7, 3)), (1, 2, 4, 5)),
        (lambda nn: nn.Fold((4, 5), 2), (2, 12, 12)),
        (lambda nn: nn.Fold((5, 6), (2, 3), stride=(1, 2), padding=1, dilation=(2, 1)), (12, 15)),
        (lambda nn: nn.Fold(4, 3, padding=1), (1, 9, 16)),
    ],
)
def test_shape_layers_match_torch(make, shape, dtype, rng):
    if "ChannelShuffle" in repr(make(torch.nn)):
        # torch's ChannelShuffle has no autograd kernel on CPU; F.channel_shuffle's value is
        # checked here, the gradient (a permutation) by gradcheck below
        x = rng.standard_normal(shape).astype(dtype)
        ours, ref = make(cr.nn)(cr.tensor(x)), make(torch.nn)(torch.tensor(x))
        np.testing.assert_array_equal(ours.numpy(), ref.numpy())
        return
    compare(make(cr.nn), make(torch.nn), [rng.standard_normal(shape).astype(dtype)], rng)


def test_fold_inverts_unfold_on_non_overlapping_blocks_and_gradchecks(rng):
    x = cr.tensor(rng.standard_normal((2, 3, 4, 6)))
    cols = cr.nn.functional.unfold(x, 2, stride=2)
    np.testing.assert_array_equal(cr.nn.functional.fold(cols, (4, 6), 2, stride=2).numpy(), x)
    cols = cr.tensor(rng.standard_normal((1, 2 * 4, 25)), requires_grad=True)
    gradcheck(lambda c: cr.nn.functional.fold(c, (4, 4), 2, padding=1, stride=(1, 1)), cols)
    y = cr.tensor(rng.standard_normal((2, 6, 3)), requires_grad=True)
    gradcheck(lambda t: cr.nn.functional.channel_shuffle(t, 3), y)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("lead", [(5,), (2, 3), ()])
def test_bilinear_matches_torch_with_parameter_gradients(lead, bias, dtype, rng):
    ours = cr.nn.Bilinear(3, 4, 2, bias=bias, dtype=dtype, generator=0)
    theirs = torch.nn.Bilinear(3, 4, 2, bias=bias, dtype=getattr(torch, np.dtype(dtype).name))
    with torch.no_grad():
        for name, p in ours.named_parameters():
            getattr(theirs, name).copy_(torch.tensor(p.detach().numpy()))
    x1, x2 = (rng.standard_normal(lead + (n,)).astype(dtype) for n in (3, 4))
    compare(ours, theirs, [x1, x2], rng)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(
            p.grad, getattr(theirs, name).grad.numpy(), **TOLERANCE[dtype], err_msg=name
        )


def test_bilinear_init_bounds_and_repr():
    layer = cr.nn.Bilinear(4, 3, 5, generator=1)
    assert (
        np.abs(layer.weight.detach().numpy()).max() <= 0.5
        and np.abs(layer.bias.detach().numpy()).max() <= 0.5
    )
    assert repr(layer) == repr(torch.nn.Bilinear(4, 3, 5))
    assert layer.weight.dtype == np.float32


@pytest.mark.parametrize(
    "make",
    [
        lambda nn: nn.PixelShuffle(2),
        lambda nn: nn.PixelUnshuffle(3),
        lambda nn: nn.ChannelShuffle(4),
        lambda nn: nn.UpsamplingNearest2d(scale_factor=2),
        lambda nn: nn.UpsamplingBilinear2d(size=3),
        lambda nn: nn.Fold((4, 5), 2),
        lambda nn: nn.Dropout1d(),
        lambda nn: nn.Dropout3d(0.2),
        lambda nn: nn.AlphaDropout(0.2),
        lambda nn: nn.FeatureAlphaDropout(0.1, inplace=True),
    ],
)
def test_reprs_match_torch(make):
    assert repr(make(cr.nn)) == repr(make(torch.nn))


@pytest.mark.parametrize(
    "name, shape", [("dropout1d", (4, 6, 5)), ("dropout1d", (6, 5)), ("dropout3d", (2, 3, 2, 2, 2))]
)
def test_channel_dropouts_drop_whole_channels_and_scale(name, shape, rng):
    x = cr.tensor(rng.random(shape) + 1.0, requires_grad=True)
    y = getattr(cr.nn.functional, name)(x, 0.5, generator=3)
    spatial = 1 if name == "dropout1d" else 3
    per_channel = y.data.reshape(y.shape[: y.ndim - spatial] + (-1,))
    dropped = (per_channel == 0).all(-1)
    kept = np.isclose(per_channel, 2 * x.data.reshape(per_channel.shape)).all(-1)
    assert (dropped | kept).all() and dropped.any() and kept.any()
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.data / x.data)
    assert getattr(cr.nn.functional, name)(x, 0.5, training=False) is x


def test_dropout1d_refuses_and_dropout3d_warns_on_other_ranks_as_torch():
    with pytest.raises(RuntimeError):
        torch.nn.functional.dropout1d(torch.zeros((2,) * 4))
    with pytest.raises(RuntimeError, match="dropout1d"):
        cr.nn.functional.dropout1d(cr.zeros((2,) * 4))
    with pytest.warns(UserWarning, match="dropout3d"):
        y = cr.nn.functional.dropout3d(cr.ones(6, 2, 2), generator=0).numpy()
    assert ((y == 0).all((1, 2)) | (y == 2).all((1, 2))).all()  # one draw per leading index


@pytest.mark.parametrize("feature", [False, True])
def test_alpha_dropout_takes_torchs_two_values_and_keeps_the_moments(feature, rng):
    p = 0.3
    ours_fn = cr.nn.functional.feature_alpha_dropout if feature else cr.nn.functional.alpha_dropout
    theirs_fn = (
        torch.nn.functional.feature_alpha_dropout if feature else torch.nn.functional.alpha_dropout
    )
    zeros = np.zeros((400, 50, 2))
    ours = ours_fn(cr.tensor(zeros), p, training=True, generator=0).numpy()
    theirs = theirs_fn(torch.tensor(zeros), p, training=True).numpy()
    np.testing.assert_allclose(np.unique(ours), np.unique(theirs), rtol=1e-12)
    x = rng.standard_normal((4000, 50))
    y = cr.nn.AlphaDropout(p, generator=1).train()(cr.tensor(x)).numpy()
    assert abs(y.mean()) < 0.02 and abs(y.std() - 1) < 0.02
    same = cr.tensor(x)
    assert cr.nn.AlphaDropout(p).eval()(same) is same


def test_alpha_dropout_gradient_is_the_scaled_mask_and_p1_gives_zeros(rng):
    x = cr.tensor(rng.standard_normal((30, 4)), requires_grad=True)
    y = cr.nn.functional.alpha_dropout(x, 0.4, training=True, generator=5)
    y.sum().backward()
    a = 1 / np.sqrt((1.7580993408473766**2 * 0.4 + 1) * 0.6)
    assert set(np.unique(x.grad.numpy()).round(12)) == {0.0, round(a, 12)}
    ones = cr.nn.functional.alpha_dropout(cr.ones(3), 1.0, training=True)
    np.testing.assert_array_equal(
        ones.numpy(), torch.nn.functional.alpha_dropout(torch.ones(3), 1.0, True).numpy()
    )
    same = cr.nn.functional.alpha_dropout(x, 0.4, training=False)
    assert same is x


def test_dropout_layers_follow_manual_seed(rng):
    x = cr.tensor(rng.standard_normal((3, 4, 5)))
    for layer in (cr.nn.Dropout1d(), cr.nn.AlphaDropout(), cr.nn.FeatureAlphaDropout()):
        cr.manual_seed(11)
        a = layer(x).numpy()
        cr.manual_seed(11)
        np.testing.assert_array_equal(layer(x).numpy(), a)


@pytest.mark.parametrize(
    "call, family",
    [
        (lambda m: m.nn.functional.pixel_shuffle(m.zeros(1, 3, 2, 2), 2), RuntimeError),
        (lambda m: m.nn.functional.pixel_unshuffle(m.zeros(1, 3, 3, 2), 2), RuntimeError),
        (lambda m: m.nn.functional.fold(m.zeros(1, 5, 12), (4, 5), 2), RuntimeError),
        (lambda m: m.nn.functional.fold(m.zeros(1, 4, 11), (4, 5), 2), RuntimeError),
        (lambda m: m.nn.functional.channel_shuffle(m.zeros(1, 5, 2), 2), RuntimeError),
        (lambda m: m.nn.functional.bilinear(m.zeros(2, 3), m.zeros(2, 4), m.zeros(1, 4, 3)), RuntimeError),
    ],
)  # fmt: skip
def test_errors_are_torchs_family(call, family):
    with pytest.raises(family):
        call(torch)
    with pytest.raises(family):
        call(cr)
