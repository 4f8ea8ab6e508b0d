"""adv5: findings against torch from reviewing in-place history, type promotion and CPUGraph."""

import numpy as np
import pytest
import torch

import chainrule as cr


def _hook_across_in_place(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    x = a * 1
    x.retain_grad()
    x.register_hook(lambda g: g * 10)
    y = x * 2
    x.add_(1)
    (y + x * 3).sum().backward()
    return a.grad.tolist(), x.grad.tolist()


def test_hook_registered_before_in_place_sees_the_old_values_gradient():
    # torch: A.grad = 10 * (2 + 3) = 50, x.grad (retained, moved to the new x) = 3
    assert _hook_across_in_place(cr) == _hook_across_in_place(torch) == ([50.0, 50.0], [3.0, 3.0])


def _reflected(lib, fn):
    t = lib.tensor([-7, 5, 100], dtype=lib.int8)
    r = fn(np.float64(0.5), t)
    return str(r.dtype).split(".")[-1], r.tolist()


def test_numpy_float_floordiv_and_mod_by_integer_tensor_is_float32():
    for fn in (lambda a, b: a // b, lambda a, b: a % b):
        assert _reflected(cr, fn) == _reflected(torch, fn)
        assert _reflected(cr, fn)[0] == "float32"


@pytest.mark.xfail(strict=True, reason="adv5: bool tensor + np.int8 scalar is int8, torch int64")
def test_bool_tensor_plus_numpy_int8_scalar_is_int64():
    for lib in (torch, cr):
        r = lib.tensor([True, False]) + np.int8(-2)
        assert str(r.dtype).split(".")[-1] == "int64", lib.__name__
