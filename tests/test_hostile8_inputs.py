"""hostile7's leftovers, each checked against torch 2.13: requires_grad on integer tensors,
Python ints that wrap instead of widening an integer tensor, and lists where torch wants a
Tensor or a number. Each case runs on both libraries; chainrule's error must be an instance of
the class torch raised (tests/test_error_families.py's rule)."""

import operator

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")


def _set_requires_grad(lib, dtype):
    t = lib.tensor([1, 0], dtype=getattr(lib, dtype))
    t.requires_grad = True


def _refused(call):
    """The class torch raises for call(torch), and that chainrule's error is one."""
    with pytest.raises(Exception) as expected:
        call(torch)
    with pytest.raises(expected.type):
        call(chainrule)


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool"])
def test_setting_requires_grad_on_an_integer_tensor_raises_as_torch(dtype):
    _refused(lambda lib: _set_requires_grad(lib, dtype))


def test_requires_grad_setter_keeps_float_tensors_and_leaf_rule():
    t = chainrule.tensor([1.0])
    t.requires_grad = True
    assert t.requires_grad and t.is_leaf
    y = t * 2
    with pytest.raises(RuntimeError):  # torch: only leaf variables change requires_grad
        y.requires_grad = False
    t.requires_grad = False
    assert not t.requires_grad


_OPS = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "floordiv": operator.floordiv,
    "mod": operator.mod,
    "radd": lambda a, b: b + a,
    "rsub": lambda a, b: b - a,
    "rmul": lambda a, b: b * a,
    "rfloordiv": lambda a, b: b // a,
    "rmod": lambda a, b: b % a,
    "and": operator.and_,
    "or": operator.or_,
    "xor": operator.xor,
    "eq": operator.eq,
    "lt": operator.lt,
    "truediv": operator.truediv,
}


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int32", "int64"])
@pytest.mark.parametrize("number", [300, -2, 3, 2.5])
@pytest.mark.parametrize("name", sorted(_OPS))
def test_a_python_number_never_widens_an_integer_tensor(dtype, number, name):
    results = []
    for lib in (torch, chainrule):
        x = lib.tensor([5, 7, 100], dtype=getattr(lib, dtype))
        try:
            out = _OPS[name](x, number)
        except (TypeError, RuntimeError, NotImplementedError) as error:
            results.append(type(error))
            continue
        results.append((str(out.dtype).split(".")[-1], out.tolist()))
    if isinstance(results[0], type):  # torch refuses (2.5 & int): chainrule must too
        assert isinstance(results[1], type), results
        return
    assert results[1][0] == results[0][0]
    np.testing.assert_allclose(results[1][1], results[0][1], rtol=1e-6)


def test_uint8_plus_300_wraps_as_torch():
    out = chainrule.tensor([1], dtype=chainrule.uint8) + 300
    assert out.dtype == chainrule.uint8 and out.tolist() == [45]


_LISTS = {
    "where with a list": lambda lib: lib.where(lib.tensor([True]), [1.0], lib.tensor([2.0])),
    "where with a list other": lambda lib: lib.where(lib.tensor([True]), lib.ones(1), [2.0]),
    "result_type with a list": lambda lib: lib.result_type([1.0], lib.tensor([2.0])),
    "unique_consecutive of a list": lambda lib: lib.unique_consecutive([1, 1, 2]),
    "scalar_tensor of a list": lambda lib: lib.scalar_tensor([1.0]),
    "setitem a list": lambda lib: lib.zeros(3).__setitem__(slice(0, 2), [1.0, 2.0]),
    "setitem a tuple": lambda lib: lib.zeros(3).__setitem__(slice(0, 2), (1.0, 2.0)),
    "setitem None": lambda lib: lib.zeros(3).__setitem__(0, None),
    "randint low below uint8": lambda lib: lib.randint(-1, 3, (3,), dtype=lib.uint8),
    "randint high above uint8": lambda lib: lib.randint(0, 300, (3,), dtype=lib.uint8),
}


@pytest.mark.parametrize("name", sorted(_LISTS))
def test_lists_and_out_of_range_bounds_are_refused_as_torch(name):
    _refused(_LISTS[name])


def test_where_and_setitem_still_take_numbers_and_tensors():
    cond = chainrule.tensor([True, False])
    assert chainrule.where(cond, 1.0, chainrule.zeros(2)).tolist() == [1.0, 0.0]
    x = chainrule.zeros(3)
    x[0:2] = chainrule.tensor([1.0, 2.0])
    x[2] = 3
    assert x.tolist() == [1.0, 2.0, 3.0]
    assert chainrule.randint(0, 3, (4,), dtype=chainrule.uint8).dtype == chainrule.uint8
