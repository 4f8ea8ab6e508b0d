"""The CNN layers against torch.nn: same weights, same inputs, same outputs and gradients."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr
from chainrule import nn
from chainrule.errors import ShapeError
from tests.torch_oracle import TOLERANCE

DTYPES = [np.float32, np.float64]
pytestmark = [
    pytest.mark.oracle,
    pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning"),
]


def _copy_into(ours, theirs):
    with torch.no_grad():
        for (name, p), (tname, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
            assert name == tname
            tp.copy_(torch.tensor(p.detach().numpy()))


def _run(ours, theirs, x, rng):
    tol = TOLERANCE[x.dtype.type]
    _copy_into(ours, theirs)
    xs, xt = cr.tensor(x.copy(), requires_grad=True), torch.tensor(x.copy(), requires_grad=True)
    out, ref = ours(xs), theirs(xt)
    assert out.shape == tuple(ref.shape) and out.dtype == x.dtype
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), **tol)
    upstream = rng.standard_normal(out.shape).astype(x.dtype)
    out.backward(upstream)
    ref.backward(torch.tensor(upstream))
    np.testing.assert_allclose(np.asarray(xs.grad), xt.grad.numpy(), **tol)
    for (name, p), tp in zip(ours.named_parameters(), theirs.parameters()):
        assert np.asarray(p.grad).dtype == x.dtype, name
        np.testing.assert_allclose(np.asarray(p.grad), tp.grad.numpy(), **tol, err_msg=name)


TORCH_DTYPE = {np.float32: torch.float32, np.float64: torch.float64}

CONV2D = [
    dict(),
    dict(stride=2, padding=1),
    dict(padding="same", dilation=2),
    dict(groups=2, bias=False),
    dict(padding=1, padding_mode="reflect"),
    dict(padding="same", padding_mode="replicate"),
    dict(padding=(1, 2), padding_mode="circular"),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("options", CONV2D, ids=str)
def test_conv2d_layer_matches_torch(options, dtype, rng):
    ours = nn.Conv2d(4, 6, 3, dtype=dtype, generator=0, **options)
    theirs = torch.nn.Conv2d(4, 6, 3, dtype=TORCH_DTYPE[dtype], **options)
    _run(ours, theirs, rng.standard_normal((2, 4, 7, 6)).astype(dtype), rng)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "options",
    [
        dict(),
        dict(stride=2, padding=2, dilation=2),
        dict(padding="same", groups=2),
        dict(padding=1, padding_mode="reflect"),
    ],
    ids=str,
)
def test_conv1d_layer_matches_torch(options, dtype, rng):
    ours = nn.Conv1d(4, 6, 3, dtype=dtype, generator=0, **options)
    theirs = torch.nn.Conv1d(4, 6, 3, dtype=TORCH_DTYPE[dtype], **options)
    _run(ours, theirs, rng.standard_normal((3, 4, 10)).astype(dtype), rng)


def test_conv_init_follows_torch_bounds():
    """kaiming_uniform(a=sqrt(5)) gives U(-1/sqrt(fan_in), 1/sqrt(fan_in)); so does the bias."""
    layer = nn.Conv2d(8, 64, (3, 5), groups=2, dtype=np.float64, generator=0)
    bound = 1 / math.sqrt(4 * 3 * 5)
    for p in (layer.weight.detach().numpy(), layer.bias.detach().numpy()):
        assert np.abs(p).max() <= bound and np.abs(p).max() > 0.9 * bound
    assert layer.weight.shape == tuple(torch.nn.Conv2d(8, 64, (3, 5), groups=2).weight.shape)
    again = nn.Conv2d(8, 64, (3, 5), groups=2, dtype=np.float64, generator=0)
    np.testing.assert_array_equal(layer.weight.detach().numpy(), again.weight.detach().numpy())


@pytest.mark.parametrize("dtype", DTYPES)
def test_pooling_layers_match_torch(dtype, rng):
    x = rng.standard_normal((2, 3, 9, 8)).astype(dtype)
    pairs = [
        (nn.MaxPool2d(3, 2, 1, ceil_mode=True), torch.nn.MaxPool2d(3, 2, 1, ceil_mode=True)),
        (nn.MaxPool2d(2), torch.nn.MaxPool2d(2)),
        (
            nn.AvgPool2d(3, 2, 1, count_include_pad=False),
            torch.nn.AvgPool2d(3, 2, 1, count_include_pad=False),
        ),
        (nn.AdaptiveAvgPool2d((2, 3)), torch.nn.AdaptiveAvgPool2d((2, 3))),
        (nn.Unfold(2, stride=2), torch.nn.Unfold(2, stride=2)),
    ]
    for ours, theirs in pairs:
        _run(ours, theirs, x, rng)


@pytest.mark.parametrize("dtype", DTYPES)
def test_batchnorm2d_matches_torch_in_train_and_eval(dtype, rng):
    ours = nn.BatchNorm2d(3, momentum=0.2, dtype=dtype)
    theirs = torch.nn.BatchNorm2d(3, momentum=0.2, dtype=TORCH_DTYPE[dtype])
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(rng.standard_normal(3)))
        theirs.bias.copy_(torch.tensor(rng.standard_normal(3)))
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    for _ in range(2):
        _run(ours, theirs, (2 + 3 * rng.standard_normal((4, 3, 5, 6))).astype(dtype), rng)
    tol = TOLERANCE[dtype]
    np.testing.assert_allclose(np.asarray(ours.running_mean), theirs.running_mean.numpy(), **tol)
    np.testing.assert_allclose(np.asarray(ours.running_var), theirs.running_var.numpy(), **tol)
    ours.eval(), theirs.eval()
    _run(ours, theirs, rng.standard_normal((2, 3, 4, 4)).astype(dtype), rng)


def test_dropout2d_layer_is_the_identity_in_eval_mode(rng):
    layer = nn.Dropout2d(0.3).eval()
    x = cr.tensor(rng.standard_normal((2, 3, 4, 4)).astype(np.float32))
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy())
    y = nn.Dropout2d(0.3, generator=0)(x).numpy()
    ratio = (y / x.numpy()).reshape(6, 16)
    assert np.all((ratio == 0).all(axis=1) | np.isclose(ratio, 1 / 0.7, rtol=1e-6).all(axis=1))


def test_unflatten_feeds_flat_rows_to_a_cnn():
    x = cr.tensor(np.arange(2 * 64, dtype=np.float32).reshape(2, 64))
    y = nn.Unflatten(1, (1, 8, 8))(x)
    ref = torch.nn.Unflatten(1, (1, 8, 8))(torch.tensor(x.numpy()))
    np.testing.assert_array_equal(y.numpy(), ref.numpy())


@pytest.mark.parametrize(
    "make, x_shape, error, pattern",
    [
        (
            lambda: nn.Conv2d(3, 8, 3),
            (2, 4, 8, 8),
            ShapeError,
            r"Conv2d\(3, 8, kernel_size=\(3, 3\), stride=\(1, 1\)\): expected inputs of shape \(N, 3, H, W\), got "
            r"\(2, 4, 8, 8\)\.\nHint: the layer's in_channels",
        ),
        (
            lambda: nn.Conv1d(3, 8, 3),
            (6,),
            ShapeError,
            r"Conv1d\(3, 8, .*expected inputs of shape \(N, 3, L\), got \(6,\)\.$",
        ),
        (
            lambda: nn.Conv2d(3, 8, 5),
            (1, 3, 4, 4),
            ShapeError,
            r"expected a padded input at least as large as the kernel",
        ),
        (
            lambda: nn.BatchNorm2d(3),
            (2, 4, 5, 5),
            ShapeError,
            r"BatchNorm2d\(3\): expected inputs of shape \(N, 3, H, W\), got \(2, 4, 5, 5\)\.",
        ),
    ],
)
def test_layer_errors_name_the_layer(make, x_shape, error, pattern):
    layer = make()
    with pytest.raises(error, match=pattern):
        layer(cr.tensor(np.zeros(x_shape, dtype=layer.weight.detach().numpy().dtype)))


@pytest.mark.parametrize(
    "make, pattern",
    [
        (
            lambda: nn.Conv2d(4, 6, 3, groups=4),
            r"Conv2d\(4, 6, kernel_size=\(3, 3\)\): expected out_channels divisible by groups=4, got 6\.",
        ),
        (
            lambda: nn.Conv2d(3, 6, 3, groups=2),
            r"expected in_channels divisible by groups=2, got 3\.",
        ),
        (lambda: nn.Conv2d(3, 6, 3, padding=-1), r"expected padding >= 0, got \(-1, -1\)\."),
        (
            lambda: nn.Conv2d(3, 6, 3, padding="full"),
            r"expected padding as an int, a tuple, 'valid' or 'same', got 'full'\.",
        ),
        (lambda: nn.Conv2d(3, 6, 3, padding_mode="mirror"), r"expected padding_mode in"),
    ],
)
def test_bad_layer_arguments_fail_at_construction(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make()
