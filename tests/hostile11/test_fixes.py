"""The promotion bugs hostile11 fixed, one plain test each against torch's own answer (the fuzz
family in test_fuzz_promotion.py found most of them; these name them)."""

import math

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")


def _same(ours, theirs):
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    expected = theirs.numpy()
    np.testing.assert_array_equal(ours.numpy(), expected)
    if expected.dtype.kind == "f":  # the sign of a zero too
        np.testing.assert_array_equal(np.signbit(ours.numpy()), np.signbit(expected))


def _both(fn):
    return fn(cr), fn(torch)


@pytest.mark.parametrize("op", ["__and__", "__or__", "__xor__", "__lt__", "__eq__"])
def test_zero_d_integer_operand_wraps_into_the_dimensioned_dtype(op):
    ours, theirs = _both(
        lambda L: getattr(L.tensor([1, 200], dtype=L.uint8), op)(L.tensor(-3, dtype=L.int16))
    )
    _same(ours, theirs)  # -3 read as uint8 253; & | ^ stay uint8


def test_float32_compared_with_zero_d_float64_in_float32():
    ours, theirs = _both(lambda L: L.tensor([0.1]) == L.tensor(0.1, dtype=L.float64))
    _same(ours, theirs)  # True: 0.1 rounded to float32 first


@pytest.mark.parametrize("op", ["add_", "mul_", "sub_", "floor_divide_", "bitwise_and_"])
def test_in_place_integer_result_cast_into_uint8(op):
    def run(L):
        x = L.tensor([1, 2, 250], dtype=L.uint8)
        getattr(x, op)(L.tensor([-1, 3, 7], dtype=L.int8))  # computed in int16, wrapped back
        return x

    _same(*_both(run))


@pytest.mark.parametrize("op", ["add_", "mul_"])
def test_in_place_still_refuses_float_into_int_and_int_into_bool(op):
    with pytest.raises(RuntimeError, match=f"{op}: expected"):
        getattr(cr.tensor([1, 2]), op)(cr.tensor([1.5, 2.0]))
    with pytest.raises(RuntimeError, match=f"{op}: expected"):
        getattr(cr.tensor([True]), op)(1)


def test_alpha_scales_other_in_the_result_dtype():
    _same(
        *_both(
            lambda L: L.add(L.tensor([250], dtype=L.uint8), L.tensor([100], dtype=L.int8), alpha=2)
        )
    )
    _same(
        *_both(lambda L: L.tensor([1, 2], dtype=L.int16).sub(L.tensor(200, dtype=L.uint8), alpha=2))
    )
    _same(*_both(lambda L: L.add(L.tensor([True]), L.tensor([False]), alpha=2)))  # bool stays bool


@pytest.mark.parametrize(
    "call",
    [
        lambda L: L.add(L.tensor([1]), L.tensor([1]), alpha=2.5),  # float alpha, integer inputs
        lambda L: L.tensor([1.0]).add(L.tensor([1.0]), alpha=True),  # bool alpha, float result
        lambda L: L.tensor([1]).sub(True, alpha=2),  # subtracting a bool
        lambda L: L.tensor([1]).sub(L.tensor(True), alpha=1),
    ],
)
def test_alpha_and_bool_refusals_as_torch(call):
    with pytest.raises(RuntimeError):
        call(torch)
    with pytest.raises(RuntimeError, match=r"(add|sub).*: expected"):
        call(cr)


def test_remainder_zero_keeps_the_dividend_sign():
    for number, tensor in [(7, [-1.0]), (-7, [1.0]), (0.0, [-2.0])]:
        _same(*_both(lambda L, n=number, t=tensor: n % L.tensor(t)))
    values = [5.0, -5.0, 0.0, -0.0, 7.0, -7.0, math.inf, math.nan]
    for divisor in [math.inf, -math.inf, 0.0, -0.0, 1.0, -1.0, 2.5]:
        _same(*_both(lambda L, d=divisor: L.remainder(L.tensor(values), d)))
        _same(*_both(lambda L, d=divisor: L.tensor(values) // d))
        _same(*_both(lambda L, d=divisor: L.fmod(L.tensor(values), d)))


@pytest.mark.parametrize("op", ["floor_divide", "remainder", "fmod"])
def test_integer_division_by_zero_raises_as_torch(op):
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        getattr(torch, op)(torch.tensor([5, -5], dtype=torch.int8), torch.tensor(256))
    with pytest.raises(RuntimeError, match=f"{op}: expected"):  # 256 wraps to int8's 0 first
        getattr(cr, op)(cr.tensor([5, -5], dtype=cr.int8), cr.tensor(256))


def test_a_list_beside_a_tensor_in_a_comparison():
    for lib in (torch, cr):
        t = lib.tensor([1, 2])
        assert ([1, 2] == t) is False and (t == (1, 2)) is False and ([1, 2] != t) is True
        with pytest.raises(TypeError):
            [1, 2] < t  # noqa: B015
        with pytest.raises(TypeError):
            t & [1, 2]  # noqa: B018
        with pytest.raises(TypeError):
            t.eq([1, 2])
    assert cr.tensor([1, 2]).eq(cr.tensor([1, 3])).tolist() == [True, False]


def test_clamp_with_tensor_bounds_takes_torch_result_dtype():
    _same(*_both(lambda L: L.tensor([True, False]).clamp(max=L.tensor(2, dtype=L.uint8))))
    _same(
        *_both(
            lambda L: L.tensor([0, 3, 250], dtype=L.uint8).clamp(min=L.tensor(-3, dtype=L.int16))
        )
    )
    _same(*_both(lambda L: L.tensor(2).clamp(min=L.tensor([1, 3, 5]))))  # a 0-d input broadcasts


def test_clamp_keeps_x_on_a_signed_zero_tie_and_a_nan_bound_wins():
    _same(*_both(lambda L: L.tensor([0.0, -0.0]).clamp(min=-0.0)))
    _same(*_both(lambda L: L.tensor([0.0, -0.0]).clamp(max=0.0)))
    _same(*_both(lambda L: L.tensor([1.0, 2.0]).clamp(min=math.nan)))


@pytest.mark.parametrize(
    "call",
    [
        lambda L: L.tensor([1], dtype=L.uint8) ** 300,
        lambda L: L.where(L.tensor([True]), L.tensor([1], dtype=L.uint8), 300),
        lambda L: L.tensor([1.0]).fill_(1e300),
        lambda L: L.tensor([1.0]).clamp(min=1e300),
        lambda L: L.where(L.tensor([True]), L.tensor([1.0]), 1e300),
    ],
)
def test_a_number_the_dtype_cannot_hold_is_refused_as_torch(call):
    with pytest.raises(RuntimeError, match="without overflow"):
        call(torch)
    with pytest.raises(RuntimeError, match="without overflow"):
        call(cr)


def test_a_number_first_is_a_wrapped_number():
    _same(*_both(lambda L: L.div(2**40, L.tensor(3, dtype=L.uint8), rounding_mode="trunc")))
    _same(*_both(lambda L: L.add(300, L.tensor(3, dtype=L.uint8))))
    _same(*_both(lambda L: L.bitwise_xor(2**40, L.tensor(3, dtype=L.int8))))


def test_cpugraph_replays_the_promoted_ops_with_each_batch():
    x = cr.tensor([1, 2, 250], dtype=cr.uint8)
    m = cr.tensor([-1, 3, 7], dtype=cr.int8)
    t = cr.tensor([1, 200], dtype=cr.uint8)
    s = cr.tensor(-3, dtype=cr.int16)
    d = cr.tensor([7.0, -7.0])
    graph = cr.CPUGraph()
    with cr.graph(graph):
        x.mul_(m)  # int16 wrapped into uint8
        mask = t < s  # s read as uint8
        rem = 7 % (d * -1)
    m.copy_(cr.tensor([2, 2, 2], dtype=cr.int8))
    t.copy_(cr.tensor([254, 0], dtype=cr.uint8))
    s.copy_(cr.tensor(-1, dtype=cr.int16))
    d.copy_(cr.tensor([-1.0, 1.0]))
    graph.replay()
    assert x.tolist() == [254, 12, 172]  # [255, 6, 214] * 2, wrapped
    assert mask.tolist() == [True, True]  # -1 is uint8 255
    np.testing.assert_array_equal(np.signbit(rem.numpy()), [False, False])  # 7 % 1, 7 % -1
