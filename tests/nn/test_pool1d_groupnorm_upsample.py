"""GroupNorm, the 1-D pools and Upsample / F.interpolate against torch: values and gradients."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _check(ours_fn, theirs_fn, x, dtype, extra=()):
    """Same output and same input gradient (under a random upstream gradient) as torch."""
    x = x.astype(dtype)
    x_c, x_t = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    got, want = ours_fn(x_c), theirs_fn(x_t)
    tol = {"rtol": 1e-5, "atol": 1e-6} if dtype == "float32" else {"rtol": 1e-10, "atol": 1e-12}
    assert tuple(got.shape) == tuple(want.shape) and got.dtype == getattr(cr, dtype)
    np.testing.assert_allclose(got.detach().numpy(), want.detach().numpy(), **tol)
    seed = np.random.default_rng(5).standard_normal(tuple(want.shape)).astype(dtype)
    (got * cr.tensor(seed)).sum().backward()
    (want * torch.tensor(seed)).sum().backward()
    np.testing.assert_allclose(x_c.grad.numpy(), x_t.grad.numpy(), **tol)
    for a, b in extra:
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **tol)


DTYPES = ["float32", "float64"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    ("shape", "groups"),
    # not (2, 6) with 6 groups: one element per group leaves only rounding times 1/sqrt(eps)
    [(s, g) for s in [(3, 6, 5), (2, 6, 4, 3)] for g in (1, 2, 3, 6)] + [((2, 6), 2)],
)
def test_group_norm_layer(shape, groups, dtype, rng):
    theirs = torch.nn.GroupNorm(groups, 6).to(getattr(torch, dtype))
    ours = cr.nn.GroupNorm(groups, 6, dtype=dtype)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(rng.standard_normal(6)))
        theirs.bias.copy_(torch.tensor(rng.standard_normal(6)))
    ours.load_state_dict({k: cr.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    assert list(ours.state_dict()) == ["weight", "bias"]
    extra = [(ours.weight, theirs.weight), (ours.bias, theirs.bias)]
    _check(ours, theirs, rng.standard_normal(shape) * 3 + 1, dtype, extra)


def test_group_norm_without_affine_and_errors(rng):
    x = rng.standard_normal((2, 4, 5))
    _check(lambda t: F.group_norm(t, 2), lambda t: TF.group_norm(t, 2), x, "float64")
    assert cr.nn.GroupNorm(2, 4, affine=False).weight is None
    with pytest.raises(ValueError, match=r"GroupNorm\(3, 4\): expected num_channels divisible"):
        cr.nn.GroupNorm(3, 4)
    with pytest.raises(cr.errors.ShapeError, match=r"group_norm\(num_groups=2\): expected"):
        F.group_norm(cr.ones(2, 3, 4), 2)


POOLS = [
    ("max_pool1d", {"kernel_size": 2}),
    ("max_pool1d", {"kernel_size": 3, "stride": 2, "padding": 1, "dilation": 2}),
    ("max_pool1d", {"kernel_size": 3, "stride": 2, "ceil_mode": True}),
    ("avg_pool1d", {"kernel_size": 2}),
    ("avg_pool1d", {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False}),
    ("avg_pool1d", {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}),
    ("adaptive_avg_pool1d", {"output_size": 4}),
    ("adaptive_avg_pool1d", {"output_size": 1}),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(2, 3, 11), (3, 10)])
@pytest.mark.parametrize(("name", "kwargs"), POOLS)
def test_pool1d_functions(name, kwargs, shape, dtype, rng):
    ours, theirs = getattr(F, name), getattr(TF, name)
    x = rng.standard_normal(shape)
    _check(lambda t: ours(t, **kwargs), lambda t: theirs(t, **kwargs), x, dtype)


@pytest.mark.parametrize(
    ("layer", "args"),
    [("MaxPool1d", (3, 2, 1)), ("AvgPool1d", (4,)), ("AdaptiveAvgPool1d", (3,))],
)
def test_pool1d_layers(layer, args, rng):
    ours, theirs = getattr(cr.nn, layer)(*args), getattr(torch.nn, layer)(*args)
    _check(ours, theirs, rng.standard_normal((2, 3, 9)), "float32")


def test_pool1d_errors():
    with pytest.raises(cr.errors.ShapeError, match=r"max_pool1d.*expected inputs of shape"):
        F.max_pool1d(cr.ones(1, 2, 3, 4), 2)
    with pytest.raises(ValueError, match=r"avg_pool1d.*expected kernel_size an int or a 1-tuple"):
        F.avg_pool1d(cr.ones(1, 2, 8), (2, 2))


RESIZES = [
    ({"scale_factor": 2}, "nearest", (1, 2, 5)),
    ({"size": 7}, "nearest", (2, 2, 5)),
    ({"size": 3}, "nearest", (2, 2, 8)),
    ({"scale_factor": 1.7}, "nearest", (1, 2, 5)),
    ({"size": (5, 9)}, "nearest", (2, 3, 4, 4)),
    ({"scale_factor": (2, 3)}, "nearest", (1, 2, 3, 4)),
    ({"size": (5, 7)}, "nearest-exact", (2, 1, 3, 4)),
    ({"scale_factor": 2.5}, "linear", (2, 2, 4)),
    ({"size": 9, "align_corners": True}, "linear", (2, 2, 4)),
    ({"size": (6, 5)}, "bilinear", (2, 3, 4, 3)),
    ({"scale_factor": 2, "align_corners": True}, "bilinear", (1, 2, 3, 4)),
    ({"size": (2, 3)}, "bilinear", (1, 2, 5, 7)),
    ({"scale_factor": 1.5, "recompute_scale_factor": True}, "bilinear", (1, 1, 5, 5)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("kwargs", "mode", "shape"), RESIZES)
def test_interpolate_matches_torch(kwargs, mode, shape, dtype, rng):
    x = rng.standard_normal(shape)
    _check(
        lambda t: F.interpolate(t, mode=mode, **kwargs),
        lambda t: TF.interpolate(t, mode=mode, **kwargs),
        x,
        dtype,
    )


def test_upsample_layer(rng):
    ours = cr.nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
    theirs = torch.nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
    _check(ours, theirs, rng.standard_normal((2, 3, 4, 4)), "float32")
    assert repr(ours) == repr(theirs) == "Upsample(scale_factor=2.0, mode='bilinear')"


def test_interpolate_refusals():
    x = cr.ones(1, 1, 4, 4)
    with pytest.raises(ValueError, match=r"interpolate\(mode='lanczos'\): expected mode .*\nHint"):
        F.interpolate(x, scale_factor=2, mode="lanczos")
    with pytest.raises(ValueError, match=r"expected exactly one of size and scale_factor"):
        F.interpolate(x)
    with pytest.raises(cr.errors.ShapeError, match=r"expected inputs of shape \(N, C, L\)"):
        F.interpolate(x, size=3, mode="linear")
    with pytest.raises(ValueError, match=r"expected antialias=False"):
        F.interpolate(x, size=3, mode="nearest", antialias=True)
