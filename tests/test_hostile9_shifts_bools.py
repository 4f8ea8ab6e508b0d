"""hostile9: bit shifts (<<, >>, their in-place and named forms) and the bool arithmetic torch
refuses, each against torch 2.13: values, dtypes, and the class of every refusal."""

import operator

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")


def _refused(call):
    """chainrule's error is an instance of the class torch raised for the same call."""
    with pytest.raises(Exception) as expected:
        call(torch)
    with pytest.raises(expected.type):
        call(chainrule)


def _same(call):
    ours, theirs = call(chainrule), call(torch)
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


_SHIFTS = {
    "lshift": operator.lshift,
    "rshift": operator.rshift,
    "rlshift": lambda a, b: b << a,
    "rrshift": lambda a, b: b >> a,
    "left fn": lambda a, b: a.bitwise_left_shift(b),
    "right fn": lambda a, b: a.bitwise_right_shift(b),
}


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "uint8"])
@pytest.mark.parametrize("op", sorted(_SHIFTS))
def test_shifts_match_torch_for_every_amount_including_out_of_range(dtype, op):
    rng = np.random.default_rng(9)
    low = -128 if dtype != "uint8" else 0
    a = rng.integers(low, 127, 40).astype(dtype)
    amounts = rng.integers(-70, 70, 40).astype(dtype)
    fn = _SHIFTS[op]
    if op.startswith("r") and op != "rshift" and op != "right fn":  # a number on the left
        for number in (1, 7, -3):
            _same(lambda lib, n=number: fn(lib.tensor(amounts % 8), n))
        return
    _same(lambda lib: fn(lib.tensor(a), lib.tensor(amounts)))
    for amount in (-1, 0, 1, 7, 8, 15, 31, 63, 64, 200, 300):
        _same(lambda lib, k=amount: fn(lib.tensor(a), k))


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.tensor([1, 2], dtype=lib.int8) << lib.tensor([1, 2]),  # promotes to int64
        lambda lib: lib.tensor([1, 2], dtype=lib.int8) << lib.tensor(3),  # a 0-d one does not
        lambda lib: lib.tensor([True, False]) << 1,  # bool with a number is int64
        lambda lib: lib.bitwise_left_shift(lib.tensor([1, 2]), 3),
        lambda lib: lib.bitwise_right_shift(lib.tensor([16, -16]), 3),
        lambda lib: lib.bitwise_left_shift(2, lib.tensor([1, 2])),
        lambda lib: lib.tensor([200, 1], dtype=lib.uint8) << 1,  # wraps in uint8
    ],
)
def test_shift_dtypes_follow_torch_promotion(call):
    _same(call)


def _in_place(op):
    def call(lib):
        x = lib.tensor([1, 2, -4], dtype=lib.int8)
        result = op(x, lib.tensor([1, 1, 1]))
        assert result is x
        return x

    return call


@pytest.mark.parametrize(
    "op",
    [
        operator.ilshift,
        operator.irshift,
        lambda x, o: x.bitwise_left_shift_(o),
        lambda x, o: x.bitwise_right_shift_(o),
    ],
)
def test_in_place_shifts_write_into_the_tensor_in_its_dtype(op):
    _same(_in_place(op))


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.tensor([1.0, 2.0]) << 1,
        lambda lib: lib.tensor([1.0, 2.0]) >> 1,
        lambda lib: lib.tensor([1, 2]) << 1.5,
        lambda lib: lib.tensor([True]) << lib.tensor([True]),
        lambda lib: lib.tensor([1, 2]) << lib.tensor([1, 2, 3]),
        lambda lib: operator.ilshift(lib.tensor([1.0]), 1),
    ],
)
def test_shifts_torch_refuses_are_refused_with_its_error_class(call):
    _refused(call)


def test_shift_error_names_the_op_and_the_dtypes():
    with pytest.raises(NotImplementedError, match=r"bitwise_left_shift: expected integer.*float32"):
        chainrule.tensor([1.0]) << 1


def test_shift_out_argument_and_capture_free_result_has_no_grad():
    out = chainrule.zeros(2, dtype=chainrule.int64)
    result = chainrule.bitwise_left_shift(chainrule.tensor([1, 2]), 2, out=out)
    assert result is out and out.tolist() == [4, 8] and not out.requires_grad


_BOOL_REFUSED = {
    "bool // bool": lambda b: b // b,
    "bool // True": lambda b: b // True,
    "bool % bool": lambda b: b % b,
    "fmod": lambda b: b.fmod(b),
    "div trunc": lambda b: b.div(b, rounding_mode="trunc"),
    "bool ** bool": lambda b: b**b,
    "True ** bool": lambda b: True**b,
    "abs": lambda b: b.abs(),
    "abs_": lambda b: b.clone().abs_(),
    "floor": lambda b: b.floor(),
    "ceil": lambda b: b.ceil(),
    "round": lambda b: b.round(),
    "trunc": lambda b: b.trunc(),
    "frac": lambda b: b.frac(),
    "bool - bool": lambda b: b - b,
    "bool - 1": lambda b: b - 1,
    "1 - bool": lambda b: 1 - b,
    "neg": lambda b: -b,
    "mean": lambda b: b.mean(),
    "std": lambda b: b.std(),
    "var": lambda b: b.var(),
    "median": lambda b: b.median(),
    "topk": lambda b: b.topk(1),
    "lerp": lambda b: b.lerp(b, 0.5),
    "logcumsumexp": lambda b: b.logcumsumexp(0),
    "~ float": lambda b: ~b.float(),
}


@pytest.mark.parametrize("name", sorted(_BOOL_REFUSED))
def test_bool_arithmetic_torch_has_no_kernel_for_is_refused(name):
    _refused(lambda lib: _BOOL_REFUSED[name](lib.tensor([True, False])))


_BOOL_KEPT = {
    "bool // 2": lambda b: b // 2,
    "bool % 2": lambda b: b % 2,
    "bool ** 2": lambda b: b**2,
    "bool ** True": lambda b: b**True,
    "bool ** False": lambda b: b**False,
    "2 ** bool": lambda b: 2**b,
    "sum": lambda b: b.sum(),
    "prod": lambda b: b.prod(),
    "cumsum": lambda b: b.cumsum(0),
    "cumprod": lambda b: b.cumprod(0),
    "float round trip": lambda b: b.float().bool().float(),
    "sign": lambda b: b.sign(),
}


@pytest.mark.parametrize("name", sorted(_BOOL_KEPT))
def test_bool_arithmetic_torch_allows_matches_it(name):
    _same(lambda lib: _BOOL_KEPT[name](lib.tensor([True, False, True])))


@pytest.mark.parametrize(
    "op",
    [
        lambda u: u.sum(),
        lambda u: u.sum(0, keepdim=True),
        lambda u: u.prod(),
        lambda u: u.cumsum(0),
        lambda u: u.cumprod(0),
        lambda u: u.nansum(),
    ],
)
def test_uint8_reductions_are_int64_as_torch(op):
    _same(lambda lib: op(lib.tensor([200, 100], dtype=lib.uint8)))


def test_spread_of_integers_names_std_or_var():
    with pytest.raises(TypeError, match="^std: expected a floating-point tensor"):
        chainrule.tensor([True, False]).std()
    with pytest.raises(TypeError, match="^var: expected a floating-point tensor"):
        chainrule.tensor([1, 2]).var()
