"""interpolate: resize (N, C, L), (N, C, H, W) or (N, C, D, H, W) by nearest, (bi/tri)linear,
bicubic or area sampling.

Each spatial axis is resized on its own (the modes here are separable): nearest picks source
indices, linear blends two neighbours and bicubic four with fixed weights. All are indexing and
arithmetic on Tensors, so the gradient is autograd's; the source positions follow torch's
formulas. 'area' is adaptive average pooling, as in torch.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .._checks import check_tensor, fail_shape, fail_value, shape_str
from ..errors import UnsupportedError

_LINEAR = {"linear": 1, "bilinear": 2, "trilinear": 3, "bicubic": 2}
_NEAREST = ("nearest", "nearest-exact")


def _at_least_one(who: str, out: tuple) -> None:
    if any(not isinstance(n, (int, np.integer)) or n < 1 for n in out):
        fail_value(who, "output sizes >= 1", str(out))


def _sizes(who: str, spatial: tuple, size: Any, scale_factor: Any, recompute: Any) -> tuple:
    """Output sizes and the source-per-destination scales torch uses for each axis."""
    k = len(spatial)
    if (size is None) == (scale_factor is None):
        fail_value(who, "exactly one of size and scale_factor", f"size={size!r}, "
                   f"scale_factor={scale_factor!r}")  # fmt: skip
    if size is not None:
        out = tuple(size) if isinstance(size, (tuple, list)) else (size,) * k
        if len(out) != k:
            fail_value(who, f"size with {k} entries", repr(size))
        _at_least_one(who, out)
        return out, tuple(i / o for i, o in zip(spatial, out))
    factors = (
        tuple(scale_factor) if isinstance(scale_factor, (tuple, list)) else (scale_factor,) * k
    )
    if len(factors) != k:
        fail_value(who, f"scale_factor with {k} entries", repr(scale_factor))
    if not all(isinstance(f, (int, float, np.number)) and math.isfinite(f) for f in factors):
        fail_value(who, "a finite scale_factor", repr(scale_factor))
    out = tuple(int(math.floor(i * f)) for i, f in zip(spatial, factors))
    _at_least_one(who, out)  # a scale_factor of 0 would divide by zero below
    if recompute:
        return out, tuple(i / o for i, o in zip(spatial, out))
    return out, tuple(1.0 / f for f in factors)


def _along(x: Any, axis: int, index: np.ndarray) -> Any:
    return x[(slice(None),) * axis + (index,)]


def _nearest(x: Any, axis: int, size: int, scale: float, exact: bool) -> Any:
    # torch computes the source index in float32: floor(dst * scale), clamped to the last index
    dst = np.arange(size, dtype=np.float32) + np.float32(0.5 if exact else 0.0)
    src = np.minimum(np.floor(dst * np.float32(scale)).astype(np.int64), x.shape[axis] - 1)
    return _along(x, axis, src)


def _linear(x: Any, axis: int, size: int, scale: float, align_corners: bool) -> Any:
    n_in = x.shape[axis]
    dst = np.arange(size, dtype=np.float64)
    if align_corners:
        src = dst * ((n_in - 1) / (size - 1) if size > 1 else 0.0)
    else:
        src = np.maximum(scale * (dst + 0.5) - 0.5, 0.0)
    low = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    high = np.minimum(low + 1, n_in - 1)
    shape = (size,) + (1,) * (x.ndim - axis - 1)
    weight = (src - low).astype(x.dtype).reshape(shape)
    lower = _along(x, axis, low)
    return lower + (_along(x, axis, high) - lower) * weight


def _cubic(x: Any, axis: int, size: int, scale: float, align_corners: bool) -> Any:
    """Four taps, weighed by cubic convolution (A = -0.75); the source is not clamped, only the
    taps' indices are (the edge pixel repeats), as in torch's upsample_bicubic2d."""
    n_in = x.shape[axis]
    dst = np.arange(size, dtype=np.float64)
    if align_corners:
        src = dst * ((n_in - 1) / (size - 1) if size > 1 else 0.0)
    else:
        src = scale * (dst + 0.5) - 0.5
    low = np.floor(src)
    t = src - low
    a = -0.75
    near = lambda d: ((a + 2) * d - (a + 3)) * d * d + 1  # noqa: E731  |d| <= 1
    far = lambda d: ((a * d - 5 * a) * d + 8 * a) * d - 4 * a  # noqa: E731  1 < |d| < 2
    weights = (far(t + 1), near(t), near(1 - t), far(2 - t))
    shape = (size,) + (1,) * (x.ndim - axis - 1)
    y = None
    for i, w in enumerate(weights):
        index = np.clip(low.astype(np.int64) + (i - 1), 0, n_in - 1)
        term = _along(x, axis, index) * w.astype(x.dtype).reshape(shape)
        y = term if y is None else y + term
    return y


def _area(x: Any, out: tuple) -> Any:
    from .pooling import adaptive_avg_pool2d
    from .pooling1d import adaptive_avg_pool1d
    from .volume import adaptive_avg_pool3d

    pool = {1: adaptive_avg_pool1d, 2: adaptive_avg_pool2d, 3: adaptive_avg_pool3d}[len(out)]
    return pool(x, out if len(out) > 1 else out[0])


def interpolate(
    input: Any,  # noqa: A002
    size: Any = None,
    scale_factor: Any = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
    antialias: bool = False,
):
    """torch.nn.functional.interpolate: modes nearest and nearest-exact (3-, 4- or 5-d input),
    linear (3-d), bilinear and bicubic (4-d, antialiased if asked), trilinear (5-d) and area.

    >>> import numpy as np, chainrule as cr
    >>> cr.functional.interpolate(cr.tensor(np.array([[[1.0, 2.0]]])), scale_factor=2).numpy()
    array([[[1., 1., 2., 2.]]])
    """
    check_tensor("interpolate", input)
    who = f"interpolate(mode={mode!r})"
    if mode not in _NEAREST and mode not in _LINEAR and mode != "area":
        fail_value(
            who,
            "mode 'nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'trilinear' or "
            "'area'",
            repr(mode),
            "check the spelling: torch's modes are these seven.",
        )
    if antialias and (mode not in ("bilinear", "bicubic") or input.ndim != 4):
        raise UnsupportedError(
            f"{who}: expected antialias=False, or mode 'bilinear' or 'bicubic' on (N, C, H, W), "
            f"got antialias=True with {input.ndim}-d input.\nHint: torch restricts antialias "
            "to those two modes on 4-d input too."
        )
    if mode in _NEAREST + ("area",) and align_corners is not None:
        fail_value(who, "align_corners=None for nearest and area modes", repr(align_corners))
    want_ndim = _LINEAR[mode] + 2 if mode in _LINEAR else None
    if input.ndim not in (3, 4, 5) or (want_ndim and input.ndim != want_ndim):
        layouts = {3: "(N, C, L)", 4: "(N, C, H, W)", 5: "(N, C, D, H, W)"}
        expected = layouts[want_ndim] if want_ndim else "(N, C, L), (N, C, H, W) or (N, C, D, H, W)"
        fail_shape(who, f"inputs of shape {expected}", shape_str(input.shape))
    spatial = tuple(input.shape[2:])
    out, scales = _sizes(who, spatial, size, scale_factor, recompute_scale_factor)
    if mode == "area":
        return _area(input, out)
    if antialias:
        from .interpolate_antialias import resize_antialiased

        return resize_antialiased(input, out, scales, mode == "bicubic", bool(align_corners))
    y = input
    for k, (n_out, scale) in enumerate(zip(out, scales)):
        if mode in _NEAREST:
            y = _nearest(y, 2 + k, n_out, scale, mode == "nearest-exact")
        elif mode == "bicubic":
            y = _cubic(y, 2 + k, n_out, scale, bool(align_corners))
        else:
            y = _linear(y, 2 + k, n_out, scale, bool(align_corners))
    return y


def _deprecated(name: str) -> None:
    warnings.warn(
        f"`nn.functional.{name}` is deprecated. Use `nn.functional.interpolate` instead.",
        UserWarning,
        stacklevel=3,
    )


def upsample(
    input: Any,  # noqa: A002
    size: Any = None,
    scale_factor: Any = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
):
    """Deprecated in torch (it warns): interpolate under its old name."""
    _deprecated("upsample")
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Any, size: Any = None, scale_factor: Any = None):  # noqa: A002
    """Deprecated in torch (it warns): interpolate(..., mode='nearest')."""
    _deprecated("upsample_nearest")
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Any, size: Any = None, scale_factor: Any = None):  # noqa: A002
    """Deprecated in torch (it warns): interpolate(..., mode='bilinear', align_corners=True)."""
    _deprecated("upsample_bilinear")
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
