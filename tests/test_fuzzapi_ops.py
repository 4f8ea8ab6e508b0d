"""Differential fuzz of elementwise, unary, comparison and reduction ops against torch 2.13."""

from __future__ import annotations

import operator

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_fuzzapi_common import (
    broadcast_partner,
    check_op,
    distinct_array,
    make_array,
    shapes,
)

DTYPES = ["float32", "float64", "int64", "bool"]
BINARY = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "**": operator.pow,
}
INPLACE = {"+": operator.iadd, "-": operator.isub, "*": operator.imul, "/": operator.itruediv}
FUZZ = settings(max_examples=150, deadline=None, derandomize=True)


def _mixes_float_widths(*dtypes: str) -> bool:
    # README "Where chainrule differs from PyTorch, on purpose": "Mixing float32 and float64
    # tensors in one op raises a DTypeError ... where PyTorch would promote".
    return {"float32", "float64"} <= set(dtypes)


@FUZZ
@given(data=st.data())
def test_binary_ops_match_torch(data):
    op = data.draw(st.sampled_from(sorted(BINARY)))
    form = data.draw(st.sampled_from(["tensor", "scalar", "reflected", "0-d", "inplace"]))
    dtype = data.draw(st.sampled_from(DTYPES))
    shape = data.draw(shapes())
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    specials = data.draw(st.booleans()) and dtype.startswith("float")
    x = make_array(rng, shape, dtype, specials)
    if form in ("scalar", "reflected"):
        other = data.draw(st.sampled_from([2, -3, 0, 1.5, -0.5, 0.0, True, False]))
    else:
        other_dtype = data.draw(st.sampled_from(DTYPES))
        if _mixes_float_widths(dtype, other_dtype):
            other_dtype = dtype
        other_shape = () if form == "0-d" else data.draw(broadcast_partner(shape))
        other = make_array(rng, other_shape, other_dtype)
    if form == "reflected":
        check_op(lambda lib, t: BINARY[op](other, t), [x], seed)
    elif form == "scalar":
        check_op(lambda lib, t: BINARY[op](t, other), [x], seed)
    elif form == "inplace" and op in INPLACE:
        check_op(lambda lib, t, u: INPLACE[op](t.clone(), u), [x, other], seed)
    else:
        check_op(lambda lib, t, u: BINARY[op](t, u), [x, other], seed)


UNARY = {
    "abs": lambda t: t.abs(),
    "neg": lambda t: -t,
    "exp": lambda t: t.exp(),
    "log": lambda t: t.log(),
    "sqrt": lambda t: t.sqrt(),
    "sin": lambda t: t.sin(),
    "cos": lambda t: t.cos(),
    "tanh": lambda t: t.tanh(),
    "sigmoid": lambda t: t.sigmoid(),
    "relu": lambda t: t.relu(),
    "clamp": lambda t: t.clamp(-1.0, 1.5),
    "clamp_min": lambda t: t.clamp(min=0),
    "round": lambda t: t.round(),
    "floor": lambda t: t.floor(),
    "ceil": lambda t: t.ceil(),
    "sign": lambda t: t.sign(),
    "reciprocal": lambda t: t.reciprocal(),
    "rsqrt": lambda t: t.rsqrt(),
    "square": lambda t: t.square(),
    "logical_not": lambda t: t.logical_not(),
    "isnan": lambda t: t.isnan(),
    "isfinite": lambda t: t.isfinite(),
}


@FUZZ
@given(data=st.data())
def test_unary_ops_match_torch(data):
    name = data.draw(st.sampled_from(sorted(UNARY)))
    dtype = data.draw(st.sampled_from(DTYPES))
    seed = data.draw(st.integers(0, 2**32 - 1))
    x = make_array(
        np.random.default_rng(seed), data.draw(shapes()), dtype, data.draw(st.booleans())
    )
    check_op(lambda lib, t: UNARY[name](t), [x], seed)


COMPARE = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "&": operator.and_,
    "|": operator.or_,
    "^": operator.xor,
    "logical_and": lambda a, b: a.logical_and(b),
    "logical_or": lambda a, b: a.logical_or(b),
    "maximum": lambda a, b: a.maximum(b) if hasattr(a, "maximum") else a,
    "where": lambda a, b: a.where(a > 0, b) if hasattr(b, "shape") else a,
}


@FUZZ
@given(data=st.data())
def test_comparison_and_logical_ops_match_torch(data):
    name = data.draw(st.sampled_from(sorted(COMPARE)))
    dtype = data.draw(st.sampled_from(DTYPES))
    other_dtype = data.draw(st.sampled_from(DTYPES))
    if _mixes_float_widths(dtype, other_dtype):
        other_dtype = dtype
    shape = data.draw(shapes())
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x = make_array(rng, shape, dtype, data.draw(st.booleans()))
    if data.draw(st.booleans()) and name not in ("logical_and", "logical_or", "maximum"):
        other = data.draw(st.sampled_from([0, 1, -2, 0.5, True]))
        check_op(lambda lib, t: COMPARE[name](t, other), [x], seed)
    else:
        y = make_array(rng, data.draw(broadcast_partner(shape)), other_dtype)
        check_op(lambda lib, t, u: COMPARE[name](t, u), [x, y], seed)


def _dim_kwargs(data, ndim: int, tuple_ok: bool = True) -> dict:
    """dim as absent, int, negative int or tuple, with or without keepdim."""
    kinds = ["none", "int"] + (["tuple"] if tuple_ok and ndim else [])
    kind = data.draw(st.sampled_from(kinds)) if ndim else "none"
    if kind == "none":
        return {}
    if kind == "int":
        dim = data.draw(st.integers(-ndim, ndim - 1))
    else:
        dim = tuple(data.draw(st.sets(st.integers(0, ndim - 1), min_size=1)))
    return {"dim": dim, "keepdim": data.draw(st.booleans())}


REDUCE = ["sum", "mean", "prod", "amax", "amin", "std", "var", "logsumexp", "all", "any", "norm"]
NEEDS_DIM = {"logsumexp", "amax", "amin"}


@FUZZ
@given(data=st.data())
def test_reductions_match_torch(data):
    name = data.draw(st.sampled_from(REDUCE))
    dtype = data.draw(st.sampled_from(DTYPES + ["int32"]))
    shape = data.draw(shapes())
    seed = data.draw(st.integers(0, 2**32 - 1))
    x = make_array(np.random.default_rng(seed), shape, dtype, data.draw(st.booleans()))
    kwargs = _dim_kwargs(data, len(shape), tuple_ok=name not in ("prod", "all", "any"))
    if name in NEEDS_DIM and not kwargs and len(shape):
        kwargs = {"dim": -1}
    if name == "prod" and "dim" not in kwargs:
        kwargs = {}
    check_op(lambda lib, t: getattr(t, name)(**kwargs), [x], seed)


INDEXED = ["max", "min", "argmax", "argmin", "cumsum", "cumprod", "median", "mode"]


@FUZZ
@given(data=st.data())
def test_dim_reductions_with_indices_match_torch(data):
    name = data.draw(st.sampled_from(INDEXED))
    dtype = data.draw(st.sampled_from(DTYPES))
    shape = data.draw(shapes(min_ndim=1))
    seed = data.draw(st.integers(0, 2**32 - 1))
    x = make_array(np.random.default_rng(seed), shape, dtype)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    if name in ("cumsum", "cumprod"):
        check_op(lambda lib, t: getattr(t, name)(dim), [x], seed)
        return
    keepdim = data.draw(st.booleans())
    check_op(lambda lib, t: getattr(t, name)(dim=dim, keepdim=keepdim), [x], seed)


@FUZZ
@given(data=st.data())
def test_sort_and_select_match_torch(data):
    name = data.draw(st.sampled_from(["sort", "topk", "kthvalue", "argsort"]))
    dtype = data.draw(st.sampled_from(["float32", "float64", "int64"]))
    shape = data.draw(shapes(min_ndim=1, min_side=1))
    seed = data.draw(st.integers(0, 2**32 - 1))
    x = distinct_array(np.random.default_rng(seed), shape, dtype)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    k = data.draw(st.integers(1, shape[dim]))
    if name == "sort":
        descending = data.draw(st.booleans())
        check_op(lambda lib, t: t.sort(dim=dim, descending=descending), [x], seed)
    elif name == "argsort":
        check_op(lambda lib, t: t.argsort(dim=dim), [x], seed)
    elif name == "topk":
        largest = data.draw(st.booleans())
        check_op(lambda lib, t: t.topk(k, dim=dim, largest=largest), [x], seed)
    else:
        check_op(lambda lib, t: t.kthvalue(k, dim=dim), [x], seed)
