"""Differential fuzz of convolutions, pools, padding and interpolation against torch 2.13."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_fuzzapi_common import check_op, torch
from tests.test_fuzznn_common import check_module

FUZZ = settings(max_examples=120, deadline=None, derandomize=True)
FLOAT = st.sampled_from(["float32", "float64"])


def _image(rng, batch: int, channels: int, sides, dtype: str) -> np.ndarray:
    return rng.standard_normal((batch, channels, *sides)).astype(dtype)


def _int_or_tuple(data, nd: int, lo: int, hi: int):
    if data.draw(st.booleans()):
        return data.draw(st.integers(lo, hi))
    return tuple(data.draw(st.integers(lo, hi)) for _ in range(nd))


@FUZZ
@given(data=st.data())
def test_conv_modules_match_torch(data):
    nd = data.draw(st.sampled_from([1, 2]))
    transposed = data.draw(st.booleans())
    groups = data.draw(st.sampled_from([1, 1, 2]))
    c_in, c_out = groups * data.draw(st.integers(1, 2)), groups * data.draw(st.integers(1, 2))
    kernel = _int_or_tuple(data, nd, 1, 3)
    stride = _int_or_tuple(data, nd, 1, 3)
    dilation = _int_or_tuple(data, nd, 1, 2)
    kw = dict(stride=stride, dilation=dilation, groups=groups, bias=data.draw(st.booleans()))
    if transposed:
        kw["padding"] = _int_or_tuple(data, nd, 0, 2)
        kw["output_padding"] = _int_or_tuple(data, nd, 0, 2)
    else:
        kw["padding"] = data.draw(
            st.one_of(st.sampled_from(["same", "valid"]), st.just(_int_or_tuple(data, nd, 0, 2)))
        )
        kw["padding_mode"] = data.draw(
            st.sampled_from(["zeros", "reflect", "replicate", "circular"])
        )
    name = ("ConvTranspose" if transposed else "Conv") + f"{nd}d"
    sides = [data.draw(st.integers(1, 6)) for _ in range(nd)]
    if transposed and groups > 1 and 0 in _transposed_size(sides, kernel, kw):
        return  # torch 2.13 gives an empty output with groups > 1 and refuses it with groups=1
    dtype = data.draw(FLOAT)
    seed = data.draw(st.integers(0, 2**32 - 1))
    x = _image(np.random.default_rng(seed), data.draw(st.integers(1, 2)), c_in, sides, dtype)
    check_module(
        lambda lib: getattr(lib.nn, name)(c_in, c_out, kernel, **kw), [x], dtype, seed=seed
    )


def _transposed_size(sides, kernel, kw) -> list[int]:
    def at(value, a):
        return value if isinstance(value, int) else value[a]

    return [
        (n - 1) * at(kw["stride"], a)
        - 2 * at(kw["padding"], a)
        + at(kw["dilation"], a) * (at(kernel, a) - 1)
        + at(kw["output_padding"], a)
        + 1
        for a, n in enumerate(sides)
    ]


POOLS = ["max_pool", "avg_pool", "adaptive_avg_pool", "adaptive_max_pool", "lp_pool"]


@settings(FUZZ, max_examples=70)  # the slowest family: a torch pass more per max pool
@given(data=st.data())
def test_pools_match_torch(data):
    nd = data.draw(st.sampled_from([1, 2]))
    kind = data.draw(st.sampled_from(POOLS))
    dtype = data.draw(FLOAT)
    seed = data.draw(st.integers(0, 2**32 - 1))
    sides = [data.draw(st.integers(1, 7)) for _ in range(nd)]
    rng = np.random.default_rng(seed)
    # distinct values: max pooling's index (and gradient) on ties is torch's kernel order
    x = (rng.permutation(2 * int(np.prod(sides))).astype(dtype) / 4.0 - 3.0).reshape(2, *sides)
    if kind.startswith("adaptive"):
        size = [data.draw(st.one_of(st.none(), st.integers(1, 8))) for _ in range(nd)]
        size = size[0] if nd == 1 else tuple(size)
        kw = {"return_indices": data.draw(st.booleans())} if "max" in kind else {}
        check_op(
            lambda lib, t: getattr(lib.nn.functional, f"{kind}{nd}d")(t, size, **kw), [x], seed
        )
        return
    kernel = _int_or_tuple(data, nd, 1, 3)
    kw = dict(
        stride=data.draw(st.one_of(st.none(), st.just(_int_or_tuple(data, nd, 1, 3)))),
        padding=_int_or_tuple(data, nd, 0, 2),
        ceil_mode=data.draw(st.booleans()),
    )
    if kind == "max_pool":
        kw["dilation"] = _int_or_tuple(data, nd, 1, 2)
        kw["return_indices"] = data.draw(st.booleans())
    elif kind == "avg_pool":
        kw["count_include_pad"] = data.draw(st.booleans())
        if nd == 2:
            kw["divisor_override"] = data.draw(st.sampled_from([None, None, 1, 3]))
    else:
        kw = dict(
            norm_type=data.draw(st.sampled_from([1.0, 2.0, 3.0])),
            stride=kw["stride"],
            ceil_mode=kw["ceil_mode"],
        )
        x = np.abs(x) + 0.25  # torch's own x ** p is NaN below 0 for fractional roots
        norm = kw.pop("norm_type")
        if nd == 1 and isinstance(kernel, tuple):
            kernel = kernel[0]  # torch's lp_pool1d multiplies by kernel_size: a tuple fails there
        check_op(
            lambda lib, t: getattr(lib.nn.functional, f"lp_pool{nd}d")(t, norm, kernel, **kw),
            [x],
            seed,
        )
        return
    if data.draw(st.booleans()):
        x = x[None]  # batched (N, C, ...) as well as unbatched (C, ...)
    if kind == "max_pool":
        try:
            y = getattr(torch.nn.functional, f"max_pool{nd}d")(torch.tensor(x), kernel, **kw)
        except RuntimeError:
            y = torch.zeros(1)
        y = y[0] if isinstance(y, tuple) else y
        if torch.isinf(y).any():
            return  # a window all in padding: torch's gradient goes where its kernel's index began
    check_op(lambda lib, t: getattr(lib.nn.functional, f"{kind}{nd}d")(t, kernel, **kw), [x], seed)


@FUZZ
@given(data=st.data())
def test_pad_matches_torch(data):
    nd = data.draw(st.sampled_from([1, 2]))
    mode = data.draw(st.sampled_from(["constant", "reflect", "replicate", "circular"]))
    dtype = data.draw(FLOAT)
    seed = data.draw(st.integers(0, 2**32 - 1))
    sides = [data.draw(st.integers(1, 4)) for _ in range(nd)]
    batched = data.draw(st.booleans())
    x = np.random.default_rng(seed).standard_normal((2, *sides) if not batched else (1, 2, *sides))
    x = x.astype(dtype)
    pad = tuple(data.draw(st.integers(-1, 3)) for _ in range(2 * nd))
    kw = {"value": data.draw(st.sampled_from([0.0, 1.5]))} if mode == "constant" else {}
    ends = [sides[-1 - k] + pad[2 * k] + pad[2 * k + 1] for k in range(nd)]
    if mode != "constant" and min(ends) <= 0:
        return  # torch itself is inconsistent here: an empty H is allowed, an empty W is not
    if mode == "circular" and min(pad) < 0 and max(pad) > 0:
        # torch 2.13 fills the pad from the wrong end when the other side crops (and, with a
        # pad of the whole axis, from uninitialised memory); chainrule pads, then crops
        return
    check_op(lambda lib, t: lib.nn.functional.pad(t, pad, mode=mode, **kw), [x.copy()], seed)


@FUZZ
@given(data=st.data())
def test_interpolate_matches_torch(data):
    mode = data.draw(st.sampled_from(["nearest", "nearest-exact", "linear", "bilinear", "bicubic"]))
    nd = {"linear": 1, "bilinear": 2, "bicubic": 2}.get(mode, data.draw(st.sampled_from([1, 2])))
    dtype = data.draw(FLOAT)
    seed = data.draw(st.integers(0, 2**32 - 1))
    sides = [data.draw(st.integers(1, 5)) for _ in range(nd)]
    x = _image(np.random.default_rng(seed), 1, 2, sides, dtype)
    kw = {}
    if mode in ("linear", "bilinear", "bicubic"):
        kw["align_corners"] = data.draw(st.booleans())
    if data.draw(st.booleans()):
        size = [data.draw(st.integers(1, 8)) for _ in range(nd)]
        kw["size"] = size[0] if data.draw(st.booleans()) else tuple(size)
    else:
        scale = [data.draw(st.sampled_from([0.5, 1.0, 1.5, 2.0, 2.5, 3.0])) for _ in range(nd)]
        kw["scale_factor"] = scale[0] if data.draw(st.booleans()) else tuple(scale)
        kw["recompute_scale_factor"] = data.draw(st.sampled_from([None, True, False]))
    if data.draw(st.booleans()):
        check_op(lambda lib, t: lib.nn.functional.interpolate(t, mode=mode, **kw), [x], seed)
    else:
        check_module(lambda lib: lib.nn.Upsample(mode=mode, **kw), [x], dtype, seed=seed)


@FUZZ
@given(data=st.data())
def test_max_unpool_inverts_max_pool_as_torch(data):
    nd = data.draw(st.sampled_from([1, 2]))
    dtype = data.draw(FLOAT)
    seed = data.draw(st.integers(0, 2**32 - 1))
    sides = [data.draw(st.integers(2, 6)) for _ in range(nd)]
    rng = np.random.default_rng(seed)
    x = (rng.permutation(2 * int(np.prod(sides))).astype(dtype) - 3.0).reshape(1, 2, *sides)
    kernel = data.draw(st.integers(1, 3))
    stride = data.draw(st.sampled_from([None, 1, 2]))
    padding = data.draw(st.integers(0, kernel // 2))
    bigger = data.draw(st.booleans())

    def round_trip(lib, t):
        F = lib.nn.functional
        pool, unpool = getattr(F, f"max_pool{nd}d"), getattr(F, f"max_unpool{nd}d")
        y, index = pool(t, kernel, stride, padding, return_indices=True)
        size = [s + 1 for s in t.shape[2:]] if bigger else None
        return unpool(y * 2.0, index, kernel, stride, padding, output_size=size)

    check_op(round_trip, [x], seed)


PAD_LAYERS = ["ZeroPad", "ConstantPad", "ReflectionPad", "ReplicationPad", "CircularPad"]


@FUZZ
@given(data=st.data())
def test_padding_layers_match_torch(data):
    nd = data.draw(st.sampled_from([1, 2]))
    name = data.draw(st.sampled_from(PAD_LAYERS)) + f"{nd}d"
    dtype = data.draw(FLOAT)
    seed = data.draw(st.integers(0, 2**32 - 1))
    x = _image(np.random.default_rng(seed), 1, 2, [3] * nd, dtype)
    padding = _int_or_tuple(data, 2 * nd, 0, 2)
    extra = [1.5] if name.startswith("Constant") else []
    check_module(lambda lib: getattr(lib.nn, name)(padding, *extra), [x], dtype, seed=seed)
