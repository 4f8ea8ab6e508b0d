"""conv2d and conv1d against torch: every option, both float dtypes, random shapes, bad input."""

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

# torch warns that it copies the input for 'same' with an even kernel; that is its business.
pytestmark = [
    pytest.mark.oracle,
    pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning"),
]

DTYPES = [np.float32, np.float64]

CONV2D_OPTIONS = [
    dict(),
    dict(stride=2),
    dict(stride=(2, 1), padding=(1, 2)),
    dict(padding=1, dilation=2),
    dict(padding="same"),
    dict(padding="same", dilation=(2, 1)),
    dict(padding="valid", stride=(1, 3)),
    dict(groups=2, padding=1),
    dict(groups=4, stride=2, dilation=(1, 2)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("options", CONV2D_OPTIONS, ids=str)
def test_conv2d_matches_torch(options, bias, dtype, rng):
    groups = options.get("groups", 1)
    x = rng.standard_normal((2, 4, 7, 8)).astype(dtype)
    w = rng.standard_normal((8, 4 // groups, 3, 2)).astype(dtype)
    arrays = [x, w] + ([rng.standard_normal(8).astype(dtype)] if bias else [])
    compare(lambda *a: F.conv2d(*a, **options), lambda *a: TF.conv2d(*a, **options), arrays, rng)


@pytest.mark.parametrize("dtype", DTYPES)
def test_conv2d_same_with_an_even_kernel_pads_the_extra_cell_at_the_end(dtype, rng):
    x, w = (
        rng.standard_normal((1, 2, 5, 6)).astype(dtype),
        rng.standard_normal((3, 2, 4, 2)).astype(dtype),
    )
    out = compare(
        lambda a, b: F.conv2d(a, b, padding="same"),
        lambda a, b: TF.conv2d(a, b, padding="same"),
        [x, w],
        rng,
    )
    assert out.shape == (1, 3, 5, 6)


def test_conv2d_accepts_an_unbatched_image_as_torch_does(rng):
    x, w = rng.standard_normal((3, 6, 6)), rng.standard_normal((2, 3, 3, 3))
    compare(
        lambda a, b: F.conv2d(a, b, padding=1), lambda a, b: TF.conv2d(a, b, padding=1), [x, w], rng
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "options",
    [
        dict(),
        dict(stride=2, padding=1),
        dict(dilation=2, groups=2),
        dict(padding="same"),
        dict(padding="valid", stride=3),
    ],
    ids=str,
)
def test_conv1d_matches_torch(options, dtype, rng):
    groups = options.get("groups", 1)
    x = rng.standard_normal((3, 4, 11)).astype(dtype)
    w = rng.standard_normal((6, 4 // groups, 3)).astype(dtype)
    b = rng.standard_normal(6).astype(dtype)
    compare(lambda *a: F.conv1d(*a, **options), lambda *a: TF.conv1d(*a, **options), [x, w, b], rng)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_conv2d_matches_torch_on_random_shapes(data, rng):
    draw = lambda s: data.draw(s)
    groups = draw(st.sampled_from([1, 2]))
    cin, cout = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    spans = [dilation[a] * (kernel[a] - 1) + 1 for a in range(2)]
    size = [draw(st.integers(max(1, spans[a] - 2 * padding[a]), spans[a] + 5)) for a in range(2)]
    x = rng.standard_normal((draw(st.integers(1, 2)), cin, *size))
    w = rng.standard_normal((cout, cin // groups, *kernel))
    b = rng.standard_normal(cout)
    options = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    compare(lambda *a: F.conv2d(*a, **options), lambda *a: TF.conv2d(*a, **options), [x, w, b], rng)


def test_conv_keeps_float32_and_leaves_its_inputs_alone(rng):
    x = cr.tensor(rng.standard_normal((1, 2, 5, 5)).astype(np.float32), requires_grad=True)
    w = cr.tensor(rng.standard_normal((3, 2, 2, 2)).astype(np.float32), requires_grad=True)
    before = x.detach().numpy().copy(), w.detach().numpy().copy()
    y = F.conv2d(x, w, padding=1)
    y.sum().backward()
    assert (
        y.dtype == np.float32
        and np.asarray(x.grad).dtype == np.float32
        and np.asarray(w.grad).dtype == np.float32
    )
    np.testing.assert_array_equal(x.detach().numpy(), before[0])
    np.testing.assert_array_equal(w.detach().numpy(), before[1])


def _t(shape, dtype=np.float64):
    return cr.tensor(np.zeros(shape, dtype=dtype))


BAD = [
    (
        lambda: F.conv2d(_t((1, 1, 2, 2)), _t((1, 1, 3, 3))),
        ShapeError,
        r"conv2d\(stride=\(1, 1\), padding=0, dilation=\(1, 1\), groups=1\): expected a padded input at least as "
        r"large as the kernel \(3, 3\), got input \(1, 1, 2, 2\), padded to \(2, 2\)\.\nHint: ",
    ),
    (
        lambda: F.conv2d(_t((1, 1, 3, 3)), _t((1, 1, 2, 2)), dilation=3),
        ShapeError,
        r"kernel \(4, 4\)",
    ),
    (
        lambda: F.conv2d(_t((2, 3, 5, 5)), _t((4, 2, 3, 3))),
        ShapeError,
        r"expected inputs with 2 channels \(weight \(4, 2, 3, 3\) x groups=1\), got 3 channels in \(2, 3, 5, 5\)\.",
    ),
    (
        lambda: F.conv2d(_t((2, 4, 5, 5)), _t((3, 2, 3, 3)), groups=2),
        ValueError,
        r"expected out_channels divisible by groups=2, got weight of shape \(3, 2, 3, 3\)\.",
    ),
    (
        lambda: F.conv2d(_t((1, 1, 5, 5)), _t((1, 1, 3, 3)), padding=-1),
        ValueError,
        r"expected padding >= 0, got \(-1, -1\)\.",
    ),
    (
        lambda: F.conv2d(_t((1, 1, 5, 5)), _t((1, 1, 3, 3)), stride=0),
        ValueError,
        r"expected stride > 0",
    ),
    (
        lambda: F.conv2d(_t((1, 1, 5, 5)), _t((1, 1, 3, 3)), stride=2, padding="same"),
        ValueError,
        r"expected stride 1 with padding='same', got stride \(2, 2\)\.",
    ),
    (
        lambda: F.conv2d(_t((1, 1, 5, 5)), _t((1, 1, 3, 3)), padding="full"),
        ValueError,
        r"expected padding as an int, a pair, 'valid' or 'same', got 'full'\.",
    ),
    (
        lambda: F.conv2d(_t((5, 5)), _t((1, 1, 3, 3))),
        ShapeError,
        r"expected inputs of shape \(N, C, H, W\), got \(5, 5\)\.",
    ),
    (
        lambda: F.conv2d(_t((1, 1, 5, 5)), _t((1, 1, 3, 3)), _t((2,))),
        ShapeError,
        r"expected a bias of shape \(1,\)",
    ),
    (
        lambda: F.conv1d(_t((1, 2, 2)), _t((1, 2, 3))),
        ShapeError,
        r"conv1d\(stride=1, padding=0, dilation=1, groups=1\): expected a padded input",
    ),
    (
        lambda: F.conv1d(_t((1, 3, 8)), _t((1, 2, 3))),
        ShapeError,
        r"expected inputs with 2 channels",
    ),
    (
        lambda: F.conv2d(_t((1, 1, 5, 5), np.int64), _t((1, 1, 3, 3))),
        TypeError,
        r"expected floating-point inputs",
    ),
]


@pytest.mark.parametrize("index", range(len(BAD)))
def test_bad_conv_input_gets_the_error_template(index):
    call, error, pattern = BAD[index]
    with pytest.raises(error, match=pattern):
        call()
