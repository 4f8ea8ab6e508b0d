"""One focused case for each difference the Tensor-API fuzzer found and chainrule now fixes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import chainrule as cr
from chainrule.errors import DimError, DTypeError
from tests.test_fuzzapi_common import check_op

torch = pytest.importorskip("torch")

INT = np.array([-3, 0, 2, 5])
BOOL = np.array([True, False, True])
FLOAT = np.array([-1.5, 0.0, 2.0], dtype=np.float32)
F4, INF = np.float32, float("inf")
SPECIAL = np.array([-1.0, 0.0, 2.5, INF, -INF, np.nan], F4)
CUBE = np.arange(8, dtype=F4).reshape(2, 2, 2) - 3
HALF = np.array([0.5, 0.5, -1.5], F4)


@pytest.mark.parametrize(
    "name, fn, args",
    [
        ("int ** float is float32", lambda lib, t: t**0.5, [INT]),
        ("int scalar ** int tensor is int64", lambda lib, t: 2 ** t.abs(), [INT]),
        (
            "int ** int tensor with negatives",
            lambda lib, t, u: t**u,
            [INT, np.array([-1, -2, 1, -3])],
        ),
        ("bool ** 2 is int64", lambda lib, t: t**2, [BOOL]),
        ("int ** -1 raises", lambda lib, t: t**-1, [INT]),
        ("reflected %", lambda lib, t: 7 % (t + 4), [INT]),
        ("reflected //", lambda lib, t: 7 // (t + 4), [INT]),
        ("float reflected %", lambda lib, t: 2.5 % (t + 4), [FLOAT]),
        ("int // 0 raises", lambda lib, t: t // 0, [INT]),
        ("int % 0 raises", lambda lib, t: t % 0, [INT]),
        ("-bool raises", lambda lib, t: -t, [BOOL]),
        ("bool - bool raises", lambda lib, t: t - t, [BOOL]),
        ("x / 0 is inf, quietly", lambda lib, t: t / 0, [FLOAT]),
        ("rsqrt(0) is inf, quietly", lambda lib, t: t.rsqrt(), [np.abs(FLOAT)]),
        ("sign has a zero gradient", lambda lib, t: t.sign(), [FLOAT]),
        ("sign(nan) is 0", lambda lib, t: t.sign(), [np.array([np.nan, -0.0], np.float32)]),
        ("sign of bool", lambda lib, t: t.sign(), [BOOL]),
        ("relu of int64", lambda lib, t: t.relu(), [INT]),
        ("bool & int is int64", lambda lib, t: t & 1, [BOOL]),
        ("bool | int tensor is int64", lambda lib, t, u: t | u, [BOOL, np.array([2, 3, 4])]),
        ("float & float raises", lambda lib, t: t & t, [FLOAT]),
        ("bool masked_fill keeps bool", lambda lib, t: t.masked_fill(t, 0), [BOOL]),
        ("int masked_fill keeps int", lambda lib, t, m: t.masked_fill(m, 7), [INT[:3], BOOL]),
        ("Tensor.where", lambda lib, t: t.where(t > 0, -t), [FLOAT]),
        ("amax of nothing with a dim", lambda lib, t: t.amax(0), [np.zeros((0, 2), np.float32)]),
        ("amax over a size-1 dim", lambda lib, t: t.amax(1), [np.zeros((0, 1), np.float32)]),
        ("argmax of an empty dim", lambda lib, t: t.argmax(0), [np.zeros((0, 2), np.float32)]),
        ("max(dim) of an empty dim", lambda lib, t: t.max(0), [np.zeros((0, 2), np.float32)]),
        ("mean of nothing is nan", lambda lib, t: t.mean(), [np.zeros(0, np.float32)]),
        ("narrow out of range", lambda lib, t: t.narrow(0, 5, 1), [FLOAT]),
        ("float % 0, inf and of inf", lambda lib, t, u: t % u, [SPECIAL, SPECIAL[::-1].copy()]),
        ("float // 0, inf and of inf", lambda lib, t, u: t // u, [SPECIAL, SPECIAL[::-1].copy()]),
        ("-1 % inf is inf", lambda lib, t: t % float("inf"), [SPECIAL]),
        ("reflected float %", lambda lib, t: 2.5 % t, [SPECIAL]),
        ("reflected float //", lambda lib, t: 2 // t, [SPECIAL]),
        ("fmod by 0 and inf", lambda lib, t, u: lib.fmod(t, u), [SPECIAL, SPECIAL[::-1].copy()]),
        ("div trunc by 0", lambda lib, t: lib.div(t, 0.0, rounding_mode="trunc"), [SPECIAL]),
        ("div floor by inf", lambda lib, t: lib.div(t, INF, rounding_mode="floor"), [SPECIAL]),
        ("trunc of inf", lambda lib, t: t.trunc(), [SPECIAL]),
        ("bool - int raises", lambda lib, t: t - 1, [BOOL]),
        ("int - bool raises", lambda lib, t: 1 - t, [BOOL]),
        ("float - True raises", lambda lib, t: t - True, [FLOAT]),
        ("bool.sub raises", lambda lib, t: t.sub(1), [BOOL]),
        ("clamp(min=0) of bool is int64", lambda lib, t: t.clamp(min=0), [BOOL]),
        ("square of bool is int64", lambda lib, t: t.square(), [BOOL]),
        ("norm over 3 dims raises", lambda lib, t: t.norm(dim=(0, 1, 2)), [CUBE]),
        ("p=2 norm over 3 dims", lambda lib, t: t.norm(2, dim=(0, 1, 2)), [CUBE]),
        ("norm of int raises", lambda lib, t: t.norm(), [INT]),
        ("norm p=0 has a zero gradient", lambda lib, t: t.norm(0), [SPECIAL]),
        ("logsumexp of nothing", lambda lib, t: t.logsumexp(0), [np.zeros((0, 2), np.float32)]),
        ("logsumexp of int", lambda lib, t: t.logsumexp(0), [INT]),
        ("logsumexp of bool", lambda lib, t: t.logsumexp(0), [BOOL]),
        ("prod's gradient at nan", lambda lib, t: t.prod(), [np.array([1, np.nan, 2], F4)]),
        ("prod's gradient at inf", lambda lib, t: t.prod(0), [np.array([[3], [INF]], F4)]),
        ("prod's gradient with a zero", lambda lib, t: t.prod(), [np.array([0, INF, 2], F4)]),
        ("var of one element", lambda lib, t: t.var(), [FLOAT[:1]]),
        ("std over a size-1 dim", lambda lib, t: t.std(0), [FLOAT[:1, None]]),
        ("var of nothing", lambda lib, t: t.var(), [FLOAT[:0]]),
        ("var over an empty dim", lambda lib, t: t.var(0), [np.zeros((2, 0), F4)]),
        ("mode", lambda lib, t: t.mode(), [np.array([3, 2, 1, 3, 1, 2])]),
        ("mode along dim 0", lambda lib, t: t.mode(0, True), [np.array([[1, 2], [1, 3]], F4)]),
        ("mode of bool", lambda lib, t: t.mode(), [BOOL]),
        ("mode of an empty dim", lambda lib, t: t.mode(0), [np.zeros((0, 2), F4)]),
        ("median of an empty dim", lambda lib, t: t.median(0), [np.zeros((0, 2), F4)]),
        ("argmax of bool raises", lambda lib, t: t.argmax(), [BOOL]),
        ("argmin of bool raises", lambda lib, t: t.argmin(0), [BOOL]),
        ("max(dim) of bool", lambda lib, t: t.max(0), [BOOL]),
        ("unflatten", lambda lib, t: t.unflatten(1, (2, -1)), [np.zeros((3, 4), F4)]),
        ("unflatten bad sizes", lambda lib, t: t.unflatten(0, (2, -1)), [FLOAT]),
        ("chunk of an empty dim", lambda lib, t: t.chunk(2, 0), [np.zeros((0, 2), F4)]),
        ("split of an empty dim", lambda lib, t: t.split(2, 1), [np.zeros((2, 0), F4)]),
        ("movedim of 0-d", lambda lib, t: t.movedim(0, -1), [FLOAT[0]]),
        ("chunk of 0-d raises", lambda lib, t: t.chunk(1), [FLOAT[0]]),
        ("split of 0-d raises", lambda lib, t: t.split(1), [FLOAT[0]]),
        ("narrow of 0-d raises", lambda lib, t: t.narrow(0, 0, 1), [FLOAT[0]]),
        ("permute() raises", lambda lib, t: t.permute(), [FLOAT[0]]),
        ("mT of 1-D raises", lambda lib, t: t.mT, [FLOAT]),
        ("Tensor.mv", lambda lib, a, b: a.mv(b), [np.ones((2, 3), F4), FLOAT]),
        ("torch.mv", lambda lib, a, b: lib.mv(a, b), [np.ones((2, 3), F4), FLOAT]),
        ("mv of a bad shape", lambda lib, a, b: lib.mv(a, b), [np.ones((2, 2), F4), FLOAT]),
        ("cdist p=0", lambda lib, a, b: lib.cdist(a, b, p=0), [CUBE[0], CUBE[1] * 0]),
        ("cdist p=inf", lambda lib, a, b: lib.cdist(a, b, p=INF), [CUBE[0] * [1, 2], CUBE[1]]),
        (
            "cdist p=inf at ties",
            lambda lib, a, b: lib.cdist(a, b, p=INF),
            [CUBE[0] * 0 + 1, CUBE[1]],
        ),
        ("adaptive pool to 0", lambda lib, t: lib.nn.AdaptiveAvgPool2d(0)(t), [CUBE[None]]),
        ("lerp's weight gradient at inf", lambda lib, a, b, w: a.lerp(b, w), [SPECIAL] * 3),
        ("lerp by a number at inf", lambda lib, a, b: lib.lerp(a, b, 0.75), [SPECIAL] * 2),
        ("sum(dtype=int64) casts first", lambda lib, t: t.detach().sum(dtype=lib.int64), [HALF]),
        ("mean(dtype=int64) raises", lambda lib, t: t.mean(dtype=lib.int64), [FLOAT]),
        ("isclose of bool and int raises", lambda lib, t: t.isclose(t * 1), [BOOL]),
        ("squeeze of a repeated dim", lambda lib, t: t.squeeze((0, -3)), [CUBE[:1, :1]]),
        ("bitwise_and", lambda lib, t, u: t.bitwise_and(u), [INT[:3], BOOL]),
        ("bitwise_or of bools", lambda lib, t: lib.bitwise_or(t, t), [BOOL]),
        ("bitwise_xor", lambda lib, t: t.bitwise_xor(3), [INT]),
        ("bitwise_not", lambda lib, t: lib.bitwise_not(t), [INT]),
        ("bitwise_and of floats raises", lambda lib, t: t.bitwise_and(t), [FLOAT]),
        ("nan_to_num", lambda lib, t: lib.nan_to_num(t), [SPECIAL]),
        ("nan_to_num's numbers", lambda lib, t: t.nan_to_num(1.0, 5.0, -5.0), [SPECIAL]),
        ("nan_to_num of int", lambda lib, t: t.nan_to_num(), [INT]),
        ("repeat_interleave", lambda lib, t: t.repeat_interleave(2), [CUBE]),
        ("repeat_interleave by dim", lambda lib, t: t.repeat_interleave(3, dim=1), [CUBE]),
        ("repeat_interleave counts", lambda lib, t, r: t.repeat_interleave(r), [FLOAT, INT[1:]]),
        ("tril_indices", lambda lib: lib.tril_indices(3, 4, -1), []),
        ("triu_indices", lambda lib: lib.triu_indices(4, 3, 1), []),
        ("remainder_ by 0 and inf", lambda lib, t, u: t.clone().remainder_(u), [SPECIAL] * 2),
        ("fmod_ of int by 0 raises", lambda lib, t: t.clone().fmod_(0), [INT]),
        ("floor_divide_ in place", lambda lib, t: t.clone().floor_divide_(INF), [SPECIAL]),
        ("trunc_ in place", lambda lib, t: t.clone().trunc_(), [SPECIAL]),
        ("sin_ of int raises", lambda lib, t: t.clone().sin_(), [INT]),
        ("bitwise_not_ of bool", lambda lib, t: t.clone().bitwise_not_(), [BOOL]),
    ],
)
def test_fixed_difference_matches_torch(name, fn, args):
    check_op(fn, args)


def test_setitem_drops_leading_size_one_dims_as_torch():
    def assign(lib, x, v):
        y = x.clone()
        y[0] = v * 2
        return y

    check_op(assign, [np.zeros((2, 3), np.float32), np.ones((1, 1, 3), np.float32)])
    check_op(assign, [np.zeros(1, np.float32), np.ones(1, np.float32)])


def test_setitem_out_of_range_is_an_index_error():
    with pytest.raises(IndexError):
        torch.zeros(2)[5] = 1.0
    x = cr.zeros(2)
    with pytest.raises(DimError, match="__setitem__"):
        x[5] = 1.0


def test_bool_masked_fill_in_place_keeps_bool():
    mask = cr.tensor([True, False])
    mask.masked_fill_(mask, 0)
    assert mask.dtype == cr.bool and mask.tolist() == [False, False]


def test_bool_negation_names_the_fix():
    with pytest.raises(DTypeError, match=r"neg: expected numbers .*\nHint: for a mask use ~x"):
        -cr.tensor([True])


def test_division_by_zero_warns_nowhere():
    x = cr.tensor([1.0, 0.0, -1.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = x / 0.0
        (y * cr.tensor([1.0, 1.0, 1.0])).sum().backward()
        cr.tensor([0, 2]) ** 0.5


def test_float_remainder_by_zero_keeps_gradient_one_in_x():
    x = cr.tensor([1.5, -2.0], requires_grad=True)
    (x % 0.0).sum().backward()
    t = torch.tensor([1.5, -2.0], requires_grad=True)
    (t % 0.0).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())


def test_inf_minus_inf_and_zero_times_inf_are_nan_without_a_warning_error():
    x = cr.tensor([INF, 0.0, 1.0], requires_grad=True)
    y = cr.tensor([INF, INF, -INF], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a user's setting, and pytest's: no crash
        out = (x - y) + x * y + (x + (-y))
        out.backward(cr.tensor([1.0, 0.0, 1.0]))
    assert np.isnan(out.detach().numpy()).all()  # inf - inf, 0 * inf, and inf + -inf


def test_softmax_of_int_is_torchs_not_implemented_error():
    with pytest.raises(NotImplementedError):
        torch.softmax(torch.tensor([1, 2]), 0)
    with pytest.raises(NotImplementedError, match="softmax: expected a floating-point input"):
        cr.softmax(cr.tensor([1, 2]), 0)
    with pytest.raises(cr.DTypeError):  # still chainrule's own family
        cr.tensor([1, 2]).log_softmax(0)


def test_hardtanh_bad_bounds_is_torchs_assertion_error_and_ours():
    with pytest.raises(AssertionError):
        torch.nn.Hardtanh(1, -1)
    with pytest.raises(AssertionError, match="Hardtanh: expected max_val > min_val"):
        cr.nn.Hardtanh(1, -1)
    with pytest.raises(cr.ArgumentError):
        cr.nn.Hardtanh(1, 1)


def test_topk_on_ties_picks_equal_values_in_any_order():
    # torch documents no order for tied indices (its CPU kernel's pick depends on the length):
    # values match torch; each index points at its value
    data = np.zeros(50, F4)
    data[[3, 7]] = 1
    ours, theirs = cr.tensor(data).topk(3), torch.tensor(data).topk(3)
    np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())
    np.testing.assert_array_equal(data[ours.indices.numpy()], ours.values.numpy())
