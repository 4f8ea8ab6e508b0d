"""max_pool2d, avg_pool2d, adaptive_avg_pool2d, pad and unfold against torch, with bad input."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
TF = torch.nn.functional
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chainrule as cr
import chainrule.functional as F
from chainrule.errors import ShapeError
from tests.torch_oracle import compare

pytestmark = pytest.mark.oracle  # compared with PyTorch / scikit-learn

DTYPES = [np.float32, np.float64]

MAX_OPTIONS = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=(2, 3), stride=(1, 2)),
    dict(kernel_size=2, stride=1, dilation=2),
    dict(kernel_size=2, stride=3, ceil_mode=True),
]
AVG_OPTIONS = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    dict(kernel_size=(2, 3), stride=(1, 2), padding=(1, 0), count_include_pad=False),
    dict(kernel_size=2, divisor_override=3),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("options", MAX_OPTIONS, ids=str)
def test_max_pool2d_matches_torch(options, dtype, rng):
    x = rng.standard_normal((2, 3, 7, 8)).astype(dtype)
    compare(
        lambda a, o=options: F.max_pool2d(a, **o),
        lambda a, o=options: TF.max_pool2d(a, **o),
        [x],
        rng,
    )


@pytest.mark.parametrize("dtype", DTYPES)
def test_max_pool2d_routes_ties_as_torch_does(dtype, rng):
    # Small integers make many windows hold the same maximum more than once.
    x = rng.integers(0, 2, (2, 2, 6, 6)).astype(dtype)
    for options in (dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1)):
        compare(
            lambda a, o=options: F.max_pool2d(a, **o),
            lambda a, o=options: TF.max_pool2d(a, **o),
            [x],
            rng,
        )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("options", AVG_OPTIONS, ids=str)
def test_avg_pool2d_matches_torch(options, dtype, rng):
    x = rng.standard_normal((2, 3, 7, 8)).astype(dtype)
    compare(lambda a: F.avg_pool2d(a, **options), lambda a: TF.avg_pool2d(a, **options), [x], rng)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("size", [1, 3, (2, 5), (None, 4), (7, 8)], ids=str)
def test_adaptive_avg_pool2d_matches_torch(size, dtype, rng):
    x = rng.standard_normal((2, 3, 7, 8)).astype(dtype)
    compare(
        lambda a: F.adaptive_avg_pool2d(a, size),
        lambda a: TF.adaptive_avg_pool2d(a, size),
        [x],
        rng,
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_pooling_matches_torch_on_random_shapes(data, rng):
    draw = lambda s: data.draw(s)
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    ceil_mode = draw(st.booleans())
    size = [draw(st.integers(kernel[a], kernel[a] + 6)) for a in range(2)]
    x = rng.standard_normal((1, 2, *size))
    options = dict(kernel_size=kernel, stride=stride, padding=padding, ceil_mode=ceil_mode)
    compare(
        lambda a, o=options: F.max_pool2d(a, **o),
        lambda a, o=options: TF.max_pool2d(a, **o),
        [x],
        rng,
    )
    include = draw(st.booleans())
    compare(
        lambda a: F.avg_pool2d(a, count_include_pad=include, **options),
        lambda a: TF.avg_pool2d(a, count_include_pad=include, **options),
        [x],
        rng,
    )


PADS = [
    ((1, 2), "constant", None),
    ((1, 2, 2, 0), "constant", 1.5),
    ((-1, 2, 0, -2), "constant", None),
    ((1, 1, 1, 1, 1, 0), "constant", None),
    ((2, 1, 1, 2), "reflect", None),
    ((2, 1, 1, 2), "replicate", None),
    ((3, 1, 0, 2), "circular", None),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("pad, mode, value", PADS, ids=str)
def test_pad_matches_torch(pad, mode, value, dtype, rng):
    x = rng.standard_normal((2, 3, 4, 5)).astype(dtype)
    kwargs = {} if value is None else {"value": value}
    compare(
        lambda a: F.pad(a, pad, mode, **kwargs), lambda a: TF.pad(a, pad, mode, **kwargs), [x], rng
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "options",
    [
        dict(kernel_size=2),
        dict(kernel_size=(2, 3), stride=(2, 1)),
        dict(kernel_size=3, padding=1, dilation=(1, 2)),
        dict(kernel_size=1),
    ],
    ids=str,
)
def test_unfold_matches_torch(options, dtype, rng):
    x = rng.standard_normal((2, 3, 6, 7)).astype(dtype)
    compare(lambda a: F.unfold(a, **options), lambda a: TF.unfold(a, **options), [x], rng)


def test_conv2d_is_unfold_then_a_matrix_product(rng):
    """The book's account of convolution, checked: im2col columns times the weight rows."""
    x = cr.tensor(rng.standard_normal((2, 3, 6, 6)))
    w = cr.tensor(rng.standard_normal((4, 3, 3, 3)))
    cols = F.unfold(x, 3, padding=1).numpy()  # (2, 27, 36)
    by_hand = (w.numpy().reshape(4, -1) @ cols).reshape(2, 4, 6, 6)
    np.testing.assert_allclose(F.conv2d(x, w, padding=1).numpy(), by_hand, rtol=1e-12, atol=1e-12)


def test_dropout2d_zeroes_whole_channels_and_scales_the_rest(rng):
    x = cr.tensor(rng.standard_normal((8, 6, 3, 3)) + 5.0, requires_grad=True)
    y = F.dropout2d(x, 0.5, generator=3).detach().numpy()
    kept = (y != 0).reshape(8, 6, 9)
    assert np.all(kept.all(axis=2) | ~kept.any(axis=2))  # each channel all kept or all dropped
    assert 0 < kept.all(axis=2).sum() < 48
    np.testing.assert_allclose(
        y[kept.reshape(y.shape)], 2.0 * x.detach().numpy()[kept.reshape(y.shape)]
    )
    assert F.dropout2d(x, 0.5, training=False) is x


def _t(shape):
    return cr.tensor(np.zeros(shape))


BAD = [
    (
        lambda: F.max_pool2d(_t((1, 1, 2, 2)), 3),
        ShapeError,
        r"max_pool2d\(kernel_size=3, stride=None, padding=0\): expected a padded input at least as large as the "
        r"kernel \(3, 3\), got input \(1, 1, 2, 2\), padded to \(2, 2\)\.",
    ),
    (
        lambda: F.max_pool2d(_t((1, 1, 6, 6)), 2, padding=2),
        ValueError,
        r"expected padding at most half the kernel \(2, 2\), got \(2, 2\)\.",
    ),
    (
        lambda: F.avg_pool2d(_t((1, 1, 6, 6)), 2, padding=-1),
        ValueError,
        r"expected padding >= 0, got \(-1, -1\)\.",
    ),
    (
        lambda: F.avg_pool2d(_t((6, 6)), 2),
        ShapeError,
        r"expected inputs of shape \(N, C, H, W\) or \(C, H, W\), got \(6, 6\)\.",
    ),
    (
        lambda: F.adaptive_avg_pool2d(_t((1, 1, 6, 6)), -1),
        ValueError,
        r"expected output sizes >= 0, got \(-1, -1\)\.",
    ),
    (lambda: F.pad(_t((2, 3)), (1, 2, 3)), ValueError, r"expected an even number of pads"),
    (
        lambda: F.pad(_t((2, 3)), (3, 0), mode="reflect"),
        ValueError,
        r"pad\(pad=\(3, 0\), mode='reflect'\): expected reflect pads smaller than the axis \(3\), got \(3, 0\)\.",
    ),
    (
        lambda: F.pad(_t((2, 3)), (-3, 0), mode="replicate"),
        ValueError,
        r"expected an output of at least 1 element\(s\) on every axis",
    ),
    (lambda: F.pad(_t((2, 3)), (1, 1), mode="wrap"), ValueError, r"expected mode 'constant'"),
    (
        lambda: F.unfold(_t((1, 1, 2, 2)), 3),
        ShapeError,
        r"unfold\(kernel_size=\(3, 3\).*expected a padded input",
    ),
    (
        lambda: F.dropout2d(_t((4, 4)), 0.5),
        ShapeError,
        r"dropout2d\(p=0.5\): expected inputs of shape",
    ),
]


@pytest.mark.parametrize("index", range(len(BAD)))
def test_bad_pooling_input_gets_the_error_template(index):
    call, error, pattern = BAD[index]
    with pytest.raises(error, match=pattern):
        call()


def test_pad_keeps_torch_dtype(rng):
    x = rng.standard_normal((1, 2, 3)).astype(np.float32)
    assert (
        F.pad(cr.tensor(x), (1, 1)).dtype
        == np.float32
        == TF.pad(torch.tensor(x), (1, 1)).numpy().dtype
    )
