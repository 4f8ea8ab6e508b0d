"""PReLU, RReLU, SELU, CELU, GLU, Hardswish, Hardsigmoid, Hardshrink, Softshrink, Tanhshrink,
Threshold, Softmin, Softmax2d and F's in-place forms against torch: values, gradients, errors."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from chainrule.gradcheck import gradcheck  # noqa: E402
from chainrule.functional import activation_more as A  # noqa: E402
from tests.torch_oracle import compare  # noqa: E402

pytestmark = pytest.mark.oracle

DTYPES = [np.float32, np.float64]
MODULES = [
    lambda nn: nn.SELU(),
    lambda nn: nn.CELU(),
    lambda nn: nn.CELU(alpha=0.5),
    lambda nn: nn.GLU(),
    lambda nn: nn.GLU(dim=0),
    lambda nn: nn.Hardswish(),
    lambda nn: nn.Hardshrink(),
    lambda nn: nn.Hardshrink(1.5),
    lambda nn: nn.Softshrink(0.7),
    lambda nn: nn.Tanhshrink(),
    lambda nn: nn.Threshold(0.2, -3.0),
    lambda nn: nn.Softmin(dim=1),
    lambda nn: nn.Softmin(dim=0),
    lambda nn: nn.RReLU().eval(),
    lambda nn: nn.RReLU(0.05, 0.6).eval(),
]


def _input(dtype, rng, shape=(4, 6)):
    x = (rng.standard_normal(shape) * 3).astype(dtype)
    # the kinks, where torch's gradient is a convention: hardswish at +-3, hardsigmoid at +-3,
    # shrinks at +-lambd, threshold at its threshold, every ReLU-like at 0
    x.flat[:10] = [-3.0, 3.0, 0.5, -0.5, 0.7, -0.7, 0.2, 0.0, 1.5, -1.5]
    return x


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("make", MODULES)
def test_activation_modules_match_torch(make, dtype, rng):
    compare(make(cr.nn), make(torch.nn), [_input(dtype, rng)], rng)


def test_celu_gradient_keeps_alpha_in_float64_where_torch_rounds_it(rng):
    """torch's CELU backward uses 1 / float32(alpha): off by ~1e-7 for alpha = 0.4 in float64.
    chainrule keeps alpha exact, so it agrees with torch only to float32's precision there."""
    x = _input(np.float64, rng)
    compare(
        lambda t: cr.nn.functional.celu(t, 0.4),
        lambda t: torch.nn.functional.celu(t, 0.4),
        [x],
        rng,
        tolerance=dict(rtol=1e-6, atol=1e-9),
    )


@pytest.mark.parametrize("dtype", DTYPES)
def test_hardsigmoid_slope_is_an_exact_sixth(dtype, rng):
    """torch's hardsigmoid backward multiplies by float32(1/6) even in float64 (~3e-8 off);
    chainrule divides by 6, so float64 agrees to float32's precision only."""
    tolerance = dict(rtol=1e-7, atol=1e-9) if dtype == np.float64 else None
    x = _input(dtype, rng)
    compare(cr.nn.Hardsigmoid(), torch.nn.Hardsigmoid(), [x], rng, tolerance=tolerance)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax2d_over_channels_batched_and_unbatched(dtype, rng):
    for shape in [(2, 3, 4, 5), (3, 4, 5)]:
        x = rng.standard_normal(shape).astype(dtype)
        compare(cr.nn.Softmax2d(), torch.nn.Softmax2d(), [x], rng)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "shape, channels", [((5, 3, 4), 3), ((5, 3), 3), ((2, 3, 2, 2), 1), ((7,), 1)]
)
def test_prelu_matches_torch_with_weight_gradient(shape, channels, dtype, rng):
    ours = cr.nn.PReLU(channels, init=0.1, dtype=dtype)
    theirs = torch.nn.PReLU(channels, init=0.1, dtype=getattr(torch, np.dtype(dtype).name))
    slopes = rng.uniform(-0.5, 0.5, channels).astype(dtype)
    ours.weight.data[...] = slopes
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(slopes))
    x = _input(dtype, rng, shape)
    compare(ours, theirs, [x], rng)
    out, ref = ours(cr.tensor(x)), theirs(torch.tensor(x))
    up = rng.standard_normal(out.shape).astype(dtype)
    out.backward(up)
    ref.backward(torch.tensor(up))
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-10)
    np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), **tol)


def test_prelu_state_dict_init_and_repr():
    layer = cr.nn.PReLU(4)
    assert list(layer.state_dict()) == ["weight"] == list(torch.nn.PReLU(4).state_dict())
    np.testing.assert_array_equal(layer.weight.detach().numpy(), np.full(4, 0.25, np.float32))
    assert repr(layer) == repr(torch.nn.PReLU(4))
    assert cr.nn.PReLU(dtype=np.float64).weight.dtype == np.float64


@pytest.mark.parametrize(
    "make",
    [
        lambda nn: nn.RReLU(),
        lambda nn: nn.RReLU(0.1, 0.2, inplace=True),
        lambda nn: nn.SELU(inplace=True),
        lambda nn: nn.CELU(0.5, inplace=True),
        lambda nn: nn.GLU(1),
        lambda nn: nn.Hardshrink(0.3),
        lambda nn: nn.Softshrink(),
        lambda nn: nn.Threshold(0.1, 20),
        lambda nn: nn.Threshold(0.1, 20, True),
        lambda nn: nn.Softmin(1),
        lambda nn: nn.Softmax2d(),
        lambda nn: nn.Hardswish(),
        lambda nn: nn.Tanhshrink(),
    ],
)
def test_reprs_match_torch(make):
    assert repr(make(cr.nn)) == repr(make(torch.nn))


def test_rrelu_train_draws_slopes_from_the_generator_and_backprops_them(rng):
    x = cr.tensor(_input(np.float64, rng), requires_grad=True)
    layer = cr.nn.RReLU(0.1, 0.3, generator=7).train()
    y = layer(x)
    slope = (y.data / np.where(x.data == 0, 1, x.data))[x.data < 0]
    assert ((slope >= 0.1) & (slope <= 0.3)).all() and len(np.unique(slope)) > 1
    np.testing.assert_array_equal(y.data[x.data > 0], x.data[x.data > 0])
    y.sum().backward()
    np.testing.assert_allclose(x.grad[x.data < 0], slope)
    again = cr.nn.RReLU(0.1, 0.3, generator=7).train()(cr.tensor(x.data))
    np.testing.assert_array_equal(again.data, y.data)  # seeded: reproducible
    cr.manual_seed(3)
    a = cr.functional.rrelu(cr.tensor(x.data), training=True)
    cr.manual_seed(3)
    b = cr.functional.rrelu(cr.tensor(x.data), training=True)
    np.testing.assert_array_equal(a.data, b.data)


@pytest.mark.parametrize(
    "name, args",
    [
        ("relu_", ()),
        ("elu_", (0.7,)),
        ("leaky_relu_", (0.2,)),
        ("hardtanh_", (-0.5, 0.5)),
        ("selu_", ()),
        ("celu_", (0.5,)),
        ("threshold_", (0.1, -2.0)),
        ("rrelu_", ()),
    ],
)
def test_in_place_forms_write_into_the_input_as_torch(name, args, rng):
    x = _input(np.float64, rng)
    ours, theirs = cr.tensor(x.copy()), torch.tensor(x.copy())
    out = getattr(cr.nn.functional, name)(ours, *args)
    ref = getattr(torch.nn.functional, name)(theirs, *args)
    assert out is ours
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
    np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-12)


def test_in_place_form_in_the_graph_gives_torchs_gradient(rng):
    x = _input(np.float64, rng)
    leaf, tleaf = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y, ty = leaf * 2, tleaf * 2
    cr.nn.functional.selu_(y)
    torch.nn.functional.selu_(ty)
    y.sum().backward()
    ty.sum().backward()
    np.testing.assert_allclose(leaf.grad, tleaf.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: A.selu(t),
        lambda t: A.celu(t, 0.3),
        lambda t: A.hardswish(t),
        lambda t: A.hardsigmoid(t),
        lambda t: A.softshrink(t, 0.2),
        lambda t: A.hardshrink(t, 0.2),
        lambda t: A.threshold(t, 0.1, 5.0),
        lambda t: A.glu(t, 0),
        lambda t: A.rrelu(t, training=True, generator=1),
    ],
)
def test_gradcheck_float64(fn, rng):
    x = rng.standard_normal((4, 3)) * 2
    x[np.abs(np.abs(x) - 3) < 0.01] += 0.05  # keep the finite differences off the kinks
    x[np.abs(np.abs(x) - 0.2) < 0.01] += 0.05
    x[np.abs(x - 0.1) < 0.01] += 0.05
    gradcheck(fn, cr.tensor(x, requires_grad=True))  # rrelu: a seed, so each call draws alike


def test_prelu_gradcheck_both_inputs(rng):
    x = rng.standard_normal((3, 4, 2))
    w = rng.uniform(0.1, 0.5, 4)
    gradcheck(
        lambda a, b: A.prelu(a, b),
        cr.tensor(x, requires_grad=True),
        cr.tensor(w, requires_grad=True),
    )


@pytest.mark.parametrize(
    "call, family, text",
    [
        (lambda m: m.nn.functional.glu(m.ones(2, 3)), RuntimeError, "glu"),
        (lambda m: m.nn.functional.softshrink(m.ones(3), -1.0), RuntimeError, "softshrink"),
        (lambda m: m.nn.functional.celu(m.ones(3), 0.0), RuntimeError, "celu"),
        (lambda m: m.nn.Softmax2d()(m.ones(3, 3)), ValueError, "Softmax2d"),
        (lambda m: m.nn.functional.rrelu(m.ones(3), 0.5, 0.1, True), RuntimeError, "rrelu"),
        (lambda m: m.nn.functional.prelu(m.ones(2, 3), m.ones(2)), RuntimeError, "prelu"),
    ],
)
def test_errors_are_torchs_family_and_name_the_op(call, family, text):
    with pytest.raises(family):
        call(torch)
    with pytest.raises(family, match=text):
        call(cr)


def test_softmin_without_dim_warns_and_picks_torchs_dim(rng):
    x = rng.standard_normal((3, 4))
    with pytest.warns(UserWarning, match="Implicit dimension"):
        ours = cr.nn.functional.softmin(cr.tensor(x))
    with pytest.warns(UserWarning):
        ref = torch.nn.functional.softmin(torch.tensor(x))
    np.testing.assert_allclose(ours.numpy(), ref.numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", ["hardswish", "selu", "celu", "hardshrink", "softshrink"])
def test_integer_inputs_raise_torchs_not_implemented_error(name):
    with pytest.raises(NotImplementedError):
        getattr(torch.nn.functional, name)(torch.tensor([1, 2]))
    with pytest.raises(NotImplementedError, match=f"{name}: expected a floating-point input"):
        getattr(cr.nn.functional, name)(cr.tensor([1, 2]))
