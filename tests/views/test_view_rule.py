"""view() follows torch's rule exactly: on random permuted, sliced and expanded layouts, torch's
view succeeds where chainrule's does, and then both give a view of the same memory with the same
strides (but for size-1 dims, whose stride torch and NumPy choose differently and no
element reads)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule.views import view_strides


def _layouts(rng, count):
    for _ in range(count):
        ndim = int(rng.integers(1, 5))
        shape = tuple(int(n) for n in rng.integers(1, 4, ndim))
        order = tuple(int(d) for d in rng.permutation(ndim))
        step = int(rng.integers(1, 3))
        yield shape, order, step


def _new_shapes(rng, total):
    divisors = [d for d in range(1, total + 1) if total % d == 0]
    shapes = [(total,), (1, total, 1), (-1,)]
    for _ in range(4):
        first = int(rng.choice(divisors))
        rest = total // first
        second = int(rng.choice([d for d in divisors if rest % d == 0]))
        shapes.append((first, second, rest // second))
        shapes.append((first, 1, rest))
    return shapes


def _take(lib, shape, order, step):
    full = tuple(n * step if i == 0 else n for i, n in enumerate(shape))
    x = lib.arange(float(math.prod(full))).reshape(full)
    return x[::step].permute(*order) if step > 1 else x.permute(*order)


def test_view_succeeds_exactly_where_torchs_does():
    rng = np.random.default_rng(8)
    checked = refused = 0
    for shape, order, step in _layouts(rng, 150):
        ours, theirs = _take(cr, shape, order, step), _take(torch, shape, order, step)
        for new in _new_shapes(rng, ours.numel()):
            try:
                expected = theirs.view(*new)
            except RuntimeError:
                with pytest.raises(cr.errors.ShapeError, match="view: expected a shape"):
                    ours.view(*new)
                refused += 1
                continue
            got = ours.view(*new)
            sized = [(a, b) for a, b, n in zip(got.stride(), expected.stride(), new) if n != 1]
            assert all(a == b for a, b in sized) or got.numel() <= 1, (shape, order, new)
            assert np.shares_memory(got.numpy(), ours.numpy())
            assert got.tolist() == expected.tolist()
            checked += 1
    assert checked > 100 and refused > 100


@pytest.mark.parametrize(
    "shape, strides, new, expected",
    [
        ((3, 4), (1, 3), (12,), None),
        ((3, 4), (1, 3), (3, 2, 2), (1, 6, 3)),
        ((2, 1, 3), (3, 99, 1), (6,), (1,)),  # a size-1 dim's stride does not matter
        ((0, 4), (1, 0), (4, 0), (1, 1)),  # no elements: any shape with none
        ((), (), (1, 1), (1, 1)),
    ],
)
def test_the_stride_rule_on_its_corner_cases(shape, strides, new, expected):
    assert view_strides(shape, strides, new) == expected
    if expected is not None and math.prod(shape):
        source = torch.empty(0).set_(torch.empty(100).untyped_storage(), 0, shape, strides)
        assert source.view(*new).stride() == expected


@pytest.mark.parametrize("name", ["int32", "float32", "int16", "float64", "uint8"])
def test_view_as_another_dtype_reads_the_same_bytes_as_torch(name):
    values = np.array([[1.5, -2.0, 0.0, 3.25]], np.float32)
    ours = cr.tensor(values, requires_grad=True).view(getattr(cr, name))
    theirs = torch.tensor(values, requires_grad=True).view(getattr(torch, name))
    assert tuple(ours.shape) == tuple(theirs.shape) and not ours.requires_grad
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_view_as_another_dtype_shares_memory_and_refuses_as_torch():
    x = cr.zeros(2)
    x.view(cr.int32)[0] = 1065353216  # the bits of 1.0
    assert x.tolist() == [1.0, 0.0]
    with pytest.raises(cr.errors.ShapeError, match=r"stride\(-1\) to be 1"):
        cr.ones(3, 2).t().view(cr.int16)
    with pytest.raises(cr.errors.ShapeError, match=r"size\(-1\) divisible by 2"):
        cr.ones(3).view(cr.float64)
