"""Differential fuzz of shape ops, indexing, products and factories against torch 2.13."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_fuzzapi_common import broadcast_partner, check_op, make_array, shapes

DTYPES = ["float32", "float64", "int64", "bool"]
FUZZ = settings(max_examples=150, deadline=None, derandomize=True)


def _shape_op(data, shape: tuple[int, ...]):
    """One shape op with arguments that fit `shape` most of the time (and sometimes do not)."""
    nd = len(shape)
    dim = st.integers(-nd, nd - 1) if nd else st.sampled_from([0, -1])
    name = data.draw(
        st.sampled_from(
            ["reshape", "view", "flatten", "unflatten", "squeeze", "unsqueeze", "transpose"]
            + ["permute", "expand", "repeat", "tile", "flip", "roll", "narrow", "chunk"]
            + ["split", "stack", "cat", "movedim", "swapaxes", "t", "mT", "expand_as"]
        )
    )
    numel = int(np.prod(shape, dtype=np.int64))
    if name in ("reshape", "view"):
        new = data.draw(st.sampled_from([(-1,), (numel,), (1, -1), (-1, 1), shape[::-1], (2, -1)]))
        return name, lambda lib, t: getattr(t, name)(new)
    if name == "flatten":
        return name, lambda lib, t: t.flatten()
    if name == "unflatten":
        d = data.draw(dim)
        return name, lambda lib, t: t.unflatten(d, (1, -1))
    if name == "squeeze":
        d = data.draw(st.one_of(st.none(), dim))
        return name, lambda lib, t: t.squeeze() if d is None else t.squeeze(d)
    if name == "unsqueeze":
        d = data.draw(st.integers(-nd - 1, nd))
        return name, lambda lib, t: t.unsqueeze(d)
    if name in ("transpose", "swapaxes", "movedim"):
        a, b = data.draw(dim), data.draw(dim)
        return name, lambda lib, t: getattr(t, name)(a, b)
    if name == "permute":
        order = tuple(data.draw(st.permutations(range(nd))))
        return name, lambda lib, t: t.permute(*order)
    if name in ("expand", "expand_as"):
        target = data.draw(st.sampled_from([(2, *shape), tuple(-1 for _ in shape), (3,) * nd]))
        if name == "expand":
            return name, lambda lib, t: t.expand(target)
        return name, lambda lib, t: t.expand_as(lib.zeros(target if -1 not in target else shape))
    if name in ("repeat", "tile"):
        reps = data.draw(st.sampled_from([(2,) * nd, (1, 2, *([1] * nd)), (2,)]))
        return name, lambda lib, t: getattr(t, name)(*reps) if reps else t
    if name == "flip":
        dims = tuple(data.draw(st.sets(st.integers(0, max(nd - 1, 0)), max_size=nd)))
        return name, lambda lib, t: t.flip(dims)
    if name == "roll":
        shift, d = data.draw(st.integers(-3, 3)), data.draw(dim)
        return name, lambda lib, t: t.roll(shift, d)
    if name == "narrow":
        d, start, length = (
            data.draw(dim),
            data.draw(st.integers(-1, 2)),
            data.draw(st.integers(0, 2)),
        )
        return name, lambda lib, t: t.narrow(d, start, length)
    if name in ("chunk", "split"):
        n, d = data.draw(st.integers(1, 3)), data.draw(dim)
        return name, lambda lib, t: getattr(t, name)(n, d)
    if name in ("stack", "cat"):
        d = data.draw(st.integers(-nd - 1, nd) if name == "stack" else dim)
        return name, lambda lib, t: getattr(lib, name)([t, t * 2], d)
    if name == "t":
        return name, lambda lib, t: t.t()
    return name, lambda lib, t: t.mT


@FUZZ
@given(data=st.data())
def test_shape_ops_match_torch(data):
    shape = data.draw(shapes())
    seed = data.draw(st.integers(0, 2**32 - 1))
    x = make_array(np.random.default_rng(seed), shape, data.draw(st.sampled_from(DTYPES)))
    name, fn = _shape_op(data, shape)
    check_op(fn, [x], seed)


def _basic_index(data, shape: tuple[int, ...]):
    parts = []
    for n in shape[: data.draw(st.integers(0, len(shape)))]:
        kind = data.draw(st.sampled_from(["int", "slice", "none", "all"]))
        if kind == "int":
            parts.append(data.draw(st.integers(-max(n, 1), max(n, 1) - 1)))
        elif kind == "slice":
            start = data.draw(st.one_of(st.none(), st.integers(-3, 3)))
            stop = data.draw(st.one_of(st.none(), st.integers(-3, 3)))
            parts.append(slice(start, stop, data.draw(st.sampled_from([None, 1, 2, 3]))))
        elif kind == "none":
            parts.append(None)
        else:
            parts.append(slice(None))
    if data.draw(st.booleans()):
        parts.insert(data.draw(st.integers(0, len(parts))), Ellipsis)
    return tuple(parts)


@FUZZ
@given(data=st.data())
def test_indexing_matches_torch(data):
    shape = data.draw(shapes(min_ndim=1))
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x = make_array(rng, shape, data.draw(st.sampled_from(DTYPES)))
    kind = data.draw(st.sampled_from(["basic", "int tensor", "mask", "set scalar", "set tensor"]))
    if kind == "basic":
        index = _basic_index(data, shape)
        check_op(lambda lib, t: t[index], [x], seed)
    elif kind == "int tensor":
        idx = rng.integers(-shape[0], max(shape[0], 1), size=data.draw(shapes(max_ndim=2)))
        check_op(lambda lib, t, i: t[i], [x, idx], seed)
    elif kind == "mask":
        mask = make_array(rng, shape[: data.draw(st.integers(1, len(shape)))], "bool")
        check_op(lambda lib, t, m: t[m], [x, mask], seed)
    else:
        index = _basic_index(data, shape)
        value = (
            7
            if kind == "set scalar"
            else make_array(rng, data.draw(shapes(max_ndim=1)), str(x.dtype))
        )

        def assign(lib, t, *v):
            out = t.clone()
            out[index] = v[0] if v else value
            return out

        check_op(assign, [x] if kind == "set scalar" else [x, value], seed)


@FUZZ
@given(data=st.data())
def test_gather_scatter_and_masks_match_torch(data):
    shape = data.draw(shapes(min_ndim=1, min_side=1))
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    dtype = data.draw(st.sampled_from(DTYPES))
    x = make_array(rng, shape, dtype)
    d = data.draw(st.integers(-len(shape), len(shape) - 1))
    name = data.draw(
        st.sampled_from(
            ["index_select", "gather", "scatter", "masked_select", "masked_fill", "where"]
        )
    )
    if name == "index_select":
        idx = rng.integers(0, shape[d], size=data.draw(st.integers(0, 3)))
        check_op(lambda lib, t, i: t.index_select(d, i), [x, idx], seed)
    elif name in ("gather", "scatter"):
        idx_shape = tuple(rng.integers(1, n + 1) for n in shape)
        idx = rng.integers(0, shape[d], size=idx_shape)
        if name == "gather":
            check_op(lambda lib, t, i: t.gather(d, i), [x, idx], seed)
        else:
            check_op(lambda lib, t, i: t.scatter(d, i, 5), [x, idx], seed, values=False)
    else:
        mask = make_array(rng, data.draw(broadcast_partner(shape)), "bool")
        if name == "masked_select":
            check_op(lambda lib, t, m: t.masked_select(m), [x, mask], seed)
        elif name == "masked_fill":
            check_op(lambda lib, t, m: t.masked_fill(m, 3), [x, mask], seed)
        else:
            y = make_array(rng, data.draw(broadcast_partner(shape)), dtype)
            check_op(lambda lib, m, t, u: lib.where(m, t, u), [mask, x, y], seed)


@FUZZ
@given(data=st.data())
def test_products_match_torch(data):
    dtype = data.draw(st.sampled_from(["float32", "float64", "int64"]))
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n, k, m = (data.draw(st.integers(0, 3)) for _ in range(3))
    batch = data.draw(shapes(max_ndim=2))
    name = data.draw(st.sampled_from(["matmul", "mm", "bmm", "dot", "outer", "einsum", "mv"]))
    if name in ("dot", "outer"):
        a, b = make_array(rng, (k,), dtype), make_array(rng, (k if name == "dot" else m,), dtype)
    elif name == "bmm":
        b0 = data.draw(st.integers(0, 2))
        a, b = make_array(rng, (b0, n, k), dtype), make_array(rng, (b0, k, m), dtype)
    elif name == "mv":
        a, b = make_array(rng, (n, k), dtype), make_array(rng, (k,), dtype)
    elif name == "matmul":
        a_shape = data.draw(st.sampled_from([(k,), (n, k), (*batch, n, k)]))
        b_shape = data.draw(
            st.sampled_from([(k,), (k, m), (*data.draw(broadcast_partner(batch)), k, m)])
        )
        a, b = make_array(rng, a_shape, dtype), make_array(rng, b_shape, dtype)
    else:
        a, b = make_array(rng, (n, k), dtype), make_array(rng, (k, m), dtype)
    if name == "einsum":
        check_op(lambda lib, s, u: lib.einsum("ij,jk->ik", s, u), [a, b], seed)
    else:
        check_op(lambda lib, s, u: getattr(s, name)(u), [a, b], seed)


@FUZZ
@given(data=st.data())
def test_factories_match_torch(data):
    name = data.draw(
        st.sampled_from(["zeros_like", "full", "arange", "linspace", "eye", "tril", "triu"])
    )
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if name == "zeros_like":
        x = make_array(rng, data.draw(shapes()), data.draw(st.sampled_from(DTYPES)))
        check_op(lambda lib, t: lib.zeros_like(t), [x], seed, grad=False)
    elif name == "full":
        value = data.draw(st.sampled_from([0, 3, -1.5, True]))
        check_op(lambda lib: lib.full(data_shape, value), [], seed)
    elif name == "arange":
        start, end = (
            data.draw(st.sampled_from([0, -2, 1.5])),
            data.draw(st.sampled_from([0, 3, 4.5])),
        )
        step = data.draw(st.sampled_from([1, 2, 0.5, -1]))
        check_op(lambda lib: lib.arange(start, end, step), [], seed)
    elif name == "linspace":
        start, end = (
            data.draw(st.sampled_from([0, -2, 1.5])),
            data.draw(st.sampled_from([0, 3, 4.5])),
        )
        steps = data.draw(st.integers(0, 5))
        check_op(lambda lib: lib.linspace(start, end, steps), [], seed)
    elif name == "eye":
        n, m = data.draw(st.integers(0, 3)), data.draw(st.one_of(st.none(), st.integers(0, 3)))
        check_op(lambda lib: lib.eye(n) if m is None else lib.eye(n, m), [], seed)
    else:
        x = make_array(
            rng, data.draw(shapes(min_ndim=2, max_ndim=3)), data.draw(st.sampled_from(DTYPES))
        )
        diagonal = data.draw(st.integers(-3, 3))
        check_op(lambda lib, t: getattr(t, name)(diagonal=diagonal), [x], seed)


data_shape = (2, 3)
