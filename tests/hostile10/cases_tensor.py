"""The calls hostile10 fuzzes on tensors: each draws its own hostile arguments from a seeded
Generator and returns (fn, args, kwargs, label) for harness.compare. Holds no tests."""

from __future__ import annotations

import numpy as np

from tests.hostile10.harness import Arg, draw_arg, draw_shape

SCALARS = [0, 1, -2, 2.5, -0.0, True, False, float("nan"), float("inf"), 10**3]
# not np.bool_: torch reads np.True_ as the float 1.0 (int32 * np.True_ is float32)
NP_SCALARS = [np.float64(1.5), np.float32(2.0), np.int64(3), np.int8(-1), np.uint8(7)]

UNARY = [
    "abs", "neg", "exp", "log", "sqrt", "sin", "tanh", "sigmoid", "relu", "floor", "ceil",
    "round", "trunc", "frac", "sign", "sgn", "reciprocal", "rsqrt", "square", "log1p", "expm1",
    "exp2", "log2", "log10", "erf", "isnan", "isinf", "isfinite", "isposinf", "signbit",
    "logical_not", "bitwise_not", "nan_to_num", "positive", "deg2rad", "angle", "float",
    "double", "long", "int", "bool", "byte", "char", "short", "clone", "contiguous", "t", "ravel",
    "flatten", "numel", "dim", "nonzero", "argwhere", "count_nonzero", "any", "all", "sum",
    "prod", "mean", "nansum", "nanmean", "amax", "amin", "max", "min", "argmax", "argmin",
    "std", "var", "norm", "logsumexp", "cumsum", "cumprod", "cummax", "softmax", "log_softmax",
    "msort", "unique", "tolist", "item", "fliplr", "flipud", "diag", "trace", "tril", "triu",
    "is_floating_point", "is_contiguous", "element_size", "numpy",
]  # fmt: skip
# dim-taking ones: the dim drawn from in-range, negative, out-of-range and tuple values
DIM_METHODS = [
    "sum", "mean", "prod", "amax", "amin", "max", "min", "argmax", "argmin", "std", "var",
    "logsumexp", "cumsum", "cumprod", "cummax", "cummin", "softmax", "log_softmax", "squeeze",
    "unsqueeze", "flip", "all", "any", "nansum", "nanmean", "median", "nanmedian", "mode",
    "count_nonzero", "norm", "unbind", "sort", "argsort", "diff", "logcumsumexp", "select0",
    "narrow0", "roll1", "movedim0", "chunk2", "split1", "repeat_interleave2", "kthvalue1",
    "topk1", "size", "stride", "var_mean", "std_mean", "aminmax", "unflatten", "index_select",
]  # fmt: skip
BINARY = [
    "add", "sub", "mul", "div", "true_divide", "floor_divide", "remainder", "fmod", "pow",
    "atan2", "maximum", "minimum", "fmax", "fmin", "eq", "ne", "lt", "le", "gt", "ge",
    "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor",
    "hypot", "copysign", "xlogy", "heaviside", "ldexp", "nextafter", "isclose", "dist",
    "lerp_half", "where_pos", "masked_fill", "__rsub__", "__rtruediv__", "__rpow__",
    "__rfloordiv__", "__rmod__", "__lshift__", "__rshift__", "float_power", "dot", "matmul",
    "outer", "cross", "equal", "allclose", "expand_as", "view_as", "type_as", "new_full",
]  # fmt: skip


def _dim(rng: np.random.Generator, ndim: int):
    pool = [0, -1, ndim, -ndim - 1, ndim - 1 if ndim else 0, (0, -1), (0, 0), [0], ()]
    return pool[int(rng.integers(len(pool)))]


def _call_dim(name: str, t, dim, keyword: bool, keepdim: bool):
    if name in ("squeeze", "unsqueeze", "flip", "unbind", "diff", "cumsum", "cumprod",
                "cummax", "cummin", "logcumsumexp", "softmax", "log_softmax", "size",
                "stride", "sort", "argsort"):  # fmt: skip
        if name == "flip" and not isinstance(dim, (tuple, list)):
            dim = (dim,)
        return getattr(t, name)(dim=dim) if keyword else getattr(t, name)(dim)
    if name == "select0":
        return t.select(dim, 0)
    if name == "narrow0":
        return t.narrow(dim, 0, 1)
    if name == "roll1":
        return t.roll(1, dim)
    if name == "movedim0":
        return t.movedim(dim, 0)
    if name == "chunk2":
        return t.chunk(2, dim)
    if name == "split1":
        return t.split(1, dim)
    if name == "repeat_interleave2":
        return t.repeat_interleave(2, dim=dim)
    if name == "kthvalue1":
        return t.kthvalue(1, dim)
    if name == "topk1":
        return t.topk(1, dim)
    if name == "unflatten":
        return t.unflatten(dim, (1, -1))
    if name == "index_select":
        return t.index_select(dim, t.new_zeros(1).long())
    if keyword:
        return getattr(t, name)(dim=dim, keepdim=keepdim)
    return getattr(t, name)(dim, keepdim)


def unary_case(rng: np.random.Generator):
    name = str(rng.choice(UNARY))
    arg = draw_arg(rng)

    def fn(lib, t):
        if name == "numpy":
            return lib.tensor(t.numpy())
        if name == "tolist":
            return t.tolist()
        if name == "item":
            return t.item()
        return getattr(t, name)(0) if name in ("softmax", "log_softmax", "cumsum", "cumprod",
                                                "cummax") else getattr(t, name)()  # fmt: skip

    return fn, [arg], {}, f"Tensor.{name}({_describe(arg)})"


def dim_case(rng: np.random.Generator):
    name = str(rng.choice(DIM_METHODS))
    arg = draw_arg(rng, draw_shape(rng, 0, 3))
    dim = _dim(rng, arg.values.ndim)
    keyword, keepdim = bool(rng.integers(2)), bool(rng.integers(2))

    def fn(lib, t):
        return _call_dim(name, t, dim, keyword, keepdim)

    label = f"Tensor.{name}({_describe(arg)}, dim={dim!r}, kw={keyword}, keepdim={keepdim})"
    return fn, [arg], {}, label


def _other(rng: np.random.Generator, shape: tuple):
    """The second operand: a tensor of a broadcastable shape, or a Python or NumPy scalar, or
    a list or ndarray in place of a tensor."""
    choice = int(rng.integers(6))
    if choice == 0:
        return SCALARS[int(rng.integers(len(SCALARS)))]
    if choice == 1:
        return NP_SCALARS[int(rng.integers(len(NP_SCALARS)))]
    drop = int(rng.integers(0, len(shape) + 1))
    partner = tuple(1 if rng.integers(2) else n for n in shape[drop:])
    kinds = ("tensor", "tensor", "list", "ndarray") if choice == 2 else ("tensor",)
    return draw_arg(rng, partner, kinds=kinds)


def _binary(name: str, lib, a, b):
    if name == "lerp_half":
        return a.lerp(b, 0.5)
    if name == "where_pos":
        return lib.where(a > 0, a, b)
    if name == "masked_fill":
        return a.masked_fill(a != a, b if not hasattr(b, "shape") else b.sum())
    if name == "new_full":
        return a.new_full((2,), b if not hasattr(b, "shape") else 1)
    if name == "isclose":
        return lib.isclose(a, b) if hasattr(b, "shape") else a.isclose(lib.tensor(b))
    if name in ("dist", "dot", "matmul", "outer", "cross", "equal", "allclose", "expand_as",
                "view_as", "type_as", "ldexp", "nextafter", "hypot", "copysign", "heaviside"):  # fmt: skip
        return getattr(lib, name)(a, b)
    return getattr(a, name)(b)


def binary_case(rng: np.random.Generator):
    name = str(rng.choice(BINARY))
    arg = draw_arg(rng, draw_shape(rng, 0, 3))
    other = _other(rng, arg.values.shape)
    swap = bool(rng.integers(2)) and isinstance(other, Arg) and other.kind == "tensor"

    def fn(lib, a, b):
        return _binary(name, lib, b, a) if swap else _binary(name, lib, a, b)

    label = f"{name}({_describe(arg)}, {_describe(other)}, swap={swap})"
    return fn, [arg, other], {}, label


INPLACE = ["add_", "sub_", "mul_", "div_", "clamp_", "copy_", "fill_", "masked_fill_",
           "pow_", "floor_divide_", "remainder_", "index_fill_", "lerp_", "addcmul_", "exp_",
           "relu_", "sigmoid_", "abs_", "t_", "squeeze_", "unsqueeze_", "transpose_",
           "resize_as_", "logical_not_", "bitwise_and_", "clamp_min_", "neg_", "log_"]  # fmt: skip


def inplace_case(rng: np.random.Generator):
    """An in-place op on a clone; when it raises, the clone must keep its old values."""
    name = str(rng.choice(INPLACE))
    arg = draw_arg(rng, draw_shape(rng, 0, 3))
    other = _other(rng, arg.values.shape)
    shape = arg.values.shape

    def fn(lib, a, b):
        target = a.clone()
        before = target.clone()
        try:
            return _inplace(name, lib, target, b, shape)
        except Exception:
            # torch's own index_fill_ writes the good indices before it meets a bad one
            if lib.__name__ == "chainrule" and not _same(target, before):
                raise AssertionError(f"{name} raised and changed its target") from None
            raise

    return fn, [arg, other], {}, f"{name}({_describe(arg)}, {_describe(other)})"


def _same(a, b) -> bool:
    return np.array_equal(a.numpy(), b.numpy(), equal_nan=a.dtype.kind == "f")


def _inplace(name: str, lib, t, b, shape):
    scalar = b if not hasattr(b, "shape") else 1
    if name in ("add_", "sub_", "mul_", "div_", "pow_", "floor_divide_", "remainder_", "copy_",
                "bitwise_and_", "resize_as_"):  # fmt: skip
        if name == "copy_" and not hasattr(b, "shape"):
            b = lib.tensor(b)
        return getattr(t, name)(b)
    if name == "clamp_":
        return t.clamp_(min=scalar)
    if name == "fill_":
        return t.fill_(scalar)
    if name == "masked_fill_":
        return t.masked_fill_(t > 0, scalar)
    if name == "index_fill_":
        return t.index_fill_(-1, lib.tensor([0, shape[-1] if shape else 0]), scalar)
    if name == "lerp_":
        return t.lerp_(b, 0.25)
    if name == "addcmul_":
        return t.addcmul_(b, b, value=2)
    if name in ("squeeze_", "unsqueeze_"):
        return getattr(t, name)(len(shape))
    if name == "transpose_":
        return t.transpose_(0, -1)
    if name == "clamp_min_":
        return t.clamp_min_(scalar)
    return getattr(t, name)()


def _describe(value) -> str:
    if isinstance(value, Arg):
        return f"{value.kind}:{value.values.dtype}{list(value.values.shape)}:{value.layout}"
    return repr(value)


FAMILIES = {"unary": unary_case, "dim": dim_case, "binary": binary_case, "inplace": inplace_case}
