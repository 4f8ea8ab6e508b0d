"""affine_grid, grid_sample, interpolate's bicubic/trilinear/area, the deprecated upsample
functions and F.instance_norm against torch: values, gradients, warnings and errors."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from chainrule import errors  # noqa: E402
from chainrule.gradcheck import gradcheck  # noqa: E402
from tests.torch_oracle import TOLERANCE, compare  # noqa: E402

pytestmark = pytest.mark.oracle

F, TF = cr.nn.functional, torch.nn.functional
DTYPES = [np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("size", [[2, 3, 4, 5], [2, 1, 3, 4, 5], [1, 1, 1, 3]])
def test_affine_grid_matches_torch(size, align_corners, dtype, rng):
    d = len(size) - 2
    theta = rng.standard_normal((size[0], d, d + 1)).astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch and chainrule both warn on unit-size grids
        compare(
            lambda t: F.affine_grid(t, size, align_corners=align_corners),
            lambda t: TF.affine_grid(t, size, align_corners=align_corners),
            [theta],
            rng,
        )


SAMPLES = [
    (mode, padding, corners, d)
    for d in (2, 3)
    for mode in ("bilinear", "nearest", "bicubic")
    for padding in ("zeros", "border", "reflection")
    for corners in (False, True)
    if not (mode == "bicubic" and d == 3)
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("mode", "padding", "corners", "d"), SAMPLES)
def test_grid_sample_matches_torch(mode, padding, corners, d, dtype, rng):
    shape = (2, 3, 4, 5) if d == 2 else (2, 2, 3, 4, 5)
    grid_shape = (2, 3, 4, 2) if d == 2 else (2, 2, 3, 4, 3)
    x = rng.standard_normal(shape).astype(dtype)
    grid = rng.uniform(-1.4, 1.4, grid_shape).astype(dtype)
    grid.reshape(-1)[:4] = [-1.0, 1.0, 0.0, 1.0]  # edges and centres exactly on a pixel

    def ours(a, g):
        return F.grid_sample(a, g, mode, padding, corners)

    def theirs(a, g):
        return TF.grid_sample(a, g, mode, padding, corners)

    tol = dict(rtol=1e-3, atol=1e-4) if dtype == np.float32 else TOLERANCE[np.float64]
    compare(ours, theirs, [x, grid], rng, tolerance=tol)


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("padding", ["zeros", "border", "reflection"])
def test_grid_sample_gradchecks(mode, padding, rng):
    x = cr.tensor(rng.standard_normal((1, 2, 3, 4)), requires_grad=True)
    # away from pixel boundaries, where the bilinear weights have a kink
    grid = cr.tensor(rng.uniform(-0.9, 0.9, (1, 2, 3, 2)) + 0.013, requires_grad=True)
    assert gradcheck(lambda a, g: F.grid_sample(a, g, mode, padding, False), x, grid)


def test_spatial_transformer_path_end_to_end(rng):
    """affine_grid then grid_sample, the gradient reaching theta, as the tutorial trains it."""
    x = rng.standard_normal((2, 1, 6, 6)).astype(np.float32)
    theta = (np.tile(np.eye(2, 3), (2, 1, 1)) + 0.1 * rng.standard_normal((2, 2, 3))).astype(
        np.float32
    )

    def run(lib, a, t):
        grid = lib.nn.functional.affine_grid(t, a.size(), align_corners=False)
        return lib.nn.functional.grid_sample(a, grid, align_corners=False)

    compare(lambda a, t: run(cr, a, t), lambda a, t: run(torch, a, t), [x, theta], rng)


def test_grid_sample_and_affine_grid_errors_and_warnings():
    x = cr.ones(1, 1, 3, 3)
    with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
        F.grid_sample(x, cr.zeros(1, 2, 2, 2))
    with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
        F.affine_grid(cr.zeros(1, 2, 3), [1, 1, 2, 2])
    with pytest.raises(ValueError, match=r"grid_sample: expected mode 'bilinear', 'nearest'"):
        F.grid_sample(x, cr.zeros(1, 2, 2, 2), mode="area", align_corners=False)
    with pytest.raises(ValueError, match=r"expected padding_mode 'zeros', 'border'"):
        F.grid_sample(x, cr.zeros(1, 2, 2, 2), padding_mode="wrap", align_corners=False)
    with pytest.raises(RuntimeError, match=r"grid_sample: expected a grid of shape \(N, H, W, 2\)"):
        F.grid_sample(x, cr.zeros(1, 2, 2, 3), align_corners=False)
    with pytest.raises(NotImplementedError, match="mode 'bicubic'"):
        F.grid_sample(
            cr.ones(1, 1, 2, 2, 2), cr.zeros(1, 1, 1, 1, 3), "bicubic", align_corners=True
        )
    with pytest.raises(errors.DTypeError):
        F.grid_sample(x, cr.zeros(1, 2, 2, 2, dtype=cr.float64), align_corners=False)
    with pytest.raises(ValueError, match=r"affine_grid: expected theta of shape \(N, 2, 3\)"):
        F.affine_grid(cr.zeros(1, 3, 4), [1, 1, 2, 2], align_corners=False)
    with pytest.raises(NotImplementedError, match="4-d or 5-d size"):
        F.affine_grid(cr.zeros(1, 2, 3), [1, 2, 2], align_corners=False)
    with pytest.raises(ValueError, match="a floating-point theta"):
        F.affine_grid(cr.zeros(1, 2, 3, dtype=cr.int64), [1, 1, 2, 2], align_corners=False)
    with pytest.raises(ValueError, match="every entry > 0"):
        F.affine_grid(cr.zeros(1, 2, 3), [1, 1, 0, 2], align_corners=False)


RESIZES = [
    ("bicubic", (2, 3, 5, 6), {"size": (7, 9)}),
    ("bicubic", (2, 3, 5, 6), {"size": (3, 2), "align_corners": True}),
    ("bicubic", (1, 2, 4, 4), {"scale_factor": 1.7}),
    ("bicubic", (1, 2, 4, 4), {"scale_factor": (0.6, 2.5), "recompute_scale_factor": True}),
    ("bicubic", (1, 2, 4, 5), {"size": 1, "align_corners": True}),
    ("trilinear", (1, 2, 3, 4, 5), {"size": (4, 2, 7)}),
    ("trilinear", (1, 2, 3, 4, 5), {"scale_factor": 2, "align_corners": True}),
    ("trilinear", (1, 2, 3, 4, 5), {"scale_factor": (1.5, 0.5, 2.2)}),
    ("area", (2, 2, 5, 6), {"size": (3, 2)}),
    ("area", (2, 2, 5, 6), {"scale_factor": 0.5}),
    ("area", (2, 2, 5, 6), {"scale_factor": 0.7, "recompute_scale_factor": True}),
    ("area", (2, 2, 7), {"size": 3}),
    ("area", (1, 2, 4, 5, 7), {"size": (2, 3, 3)}),
    ("nearest", (1, 2, 3, 4, 5), {"scale_factor": (1.5, 2, 0.6)}),
    ("nearest-exact", (1, 2, 3, 4, 5), {"size": (5, 2, 7)}),
    ("nearest-exact", (1, 2, 5, 6), {"scale_factor": 1.3, "recompute_scale_factor": True}),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("mode", "shape", "kwargs"), RESIZES)
def test_interpolate_more_modes_match_torch(mode, shape, kwargs, dtype, rng):
    compare(
        lambda t: F.interpolate(t, mode=mode, **kwargs),
        lambda t: TF.interpolate(t, mode=mode, **kwargs),
        [rng.standard_normal(shape).astype(dtype)],
        rng,
    )


def test_interpolate_new_modes_refuse_what_torch_refuses():
    with pytest.raises(RuntimeError, match=r"interpolate\(mode='bicubic'\): expected inputs "):
        F.interpolate(cr.ones(1, 1, 2, 2, 2), scale_factor=2, mode="bicubic")
    with pytest.raises(RuntimeError, match=r"\(N, C, D, H, W\)"):
        F.interpolate(cr.ones(1, 1, 2, 2), scale_factor=2, mode="trilinear")
    with pytest.raises(ValueError, match="align_corners=None for nearest and area modes"):
        F.interpolate(cr.ones(1, 1, 2, 2), size=1, mode="area", align_corners=True)
    with pytest.raises(NotImplementedError, match="expected antialias=False"):
        F.interpolate(cr.ones(1, 1, 4), size=2, mode="linear", antialias=True)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("upsample", {"scale_factor": 2, "mode": "bilinear", "align_corners": False}),
     ("upsample", {"size": (5, 3)}),
     ("upsample_nearest", {"scale_factor": 2}),
     ("upsample_bilinear", {"size": (6, 7)})],
)  # fmt: skip
def test_deprecated_upsample_functions_warn_and_match_torch(name, kwargs, rng):
    x = rng.standard_normal((1, 2, 3, 4)).astype(np.float32)
    with pytest.warns(UserWarning, match=f"`nn.functional.{name}` is deprecated"):
        ours = getattr(F, name)(cr.tensor(x), **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = getattr(TF, name)(torch.tensor(x), **kwargs)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), **TOLERANCE[np.float32])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("use_input_stats", [True, False])
@pytest.mark.parametrize("shape", [(3, 4, 5), (2, 4, 3, 5)])
def test_functional_instance_norm_matches_torch(shape, use_input_stats, dtype, rng):
    c = shape[1]
    stats = [rng.standard_normal(c).astype(dtype), rng.uniform(0.5, 2, c).astype(dtype)]
    ours_stats = [cr.tensor(s.copy()) for s in stats]
    theirs_stats = [torch.tensor(s.copy()) for s in stats]

    def ours(x, w, b):
        return F.instance_norm(x, *ours_stats, w, b, use_input_stats, 0.3, 1e-5)

    def theirs(x, w, b):
        return TF.instance_norm(x, *theirs_stats, w, b, use_input_stats, 0.3, 1e-5)

    arrays = [rng.standard_normal(shape).astype(dtype)] + [
        rng.standard_normal(c).astype(dtype) for _ in range(2)
    ]
    compare(ours, theirs, arrays, rng)
    for a, b in zip(ours_stats, theirs_stats):  # the running buffers moved the same way
        np.testing.assert_allclose(a.numpy(), b.numpy(), **TOLERANCE[dtype])


def test_functional_instance_norm_plain_and_errors(rng):
    x = rng.standard_normal((2, 3, 4)).astype(np.float32)
    np.testing.assert_allclose(
        F.instance_norm(cr.tensor(x)).numpy(),
        TF.instance_norm(torch.tensor(x)).numpy(),
        **TOLERANCE[np.float32],
    )
    with pytest.raises(ValueError, match="more than 1 spatial element"):
        F.instance_norm(cr.ones(2, 3, 1))
    with pytest.raises(RuntimeError, match=r"running_mean of shape \(3,\)"):
        F.instance_norm(cr.ones(2, 3, 4), cr.zeros(4), cr.ones(4))
