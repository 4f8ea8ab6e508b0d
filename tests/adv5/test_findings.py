"""adv5: findings against torch from reviewing in-place history, type promotion and CPUGraph."""

import numpy as np
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


def test_bool_tensor_plus_numpy_int8_scalar_is_int64():
    for lib in (torch, cr):
        r = lib.tensor([True, False]) + np.int8(-2)
        assert str(r.dtype).split(".")[-1] == "int64", lib.__name__


def test_numpy_integer_scalars_meet_tensors_as_numbers_do():
    """torch reads a NumPy scalar as a Python number: beside a bool tensor an integer one gives
    int64, beside an integer tensor it takes that tensor's dtype, for every arithmetic op."""
    for op in ("__add__", "__mul__", "__floordiv__", "__mod__"):
        for values, dtype in (([True, False], None), ([3, -4], "int8"), ([3, -4], "int32")):
            for scalar in (np.int8(-2), np.uint8(3), np.int64(5), np.int16(7)):
                got = []
                for lib in (torch, cr):
                    t = lib.tensor(values, dtype=None if dtype is None else getattr(lib, dtype))
                    r = getattr(t, op)(scalar)
                    got.append((str(r.dtype).split(".")[-1], r.tolist()))
                assert got[0] == got[1], (op, values, dtype, scalar)
    for name in ("remainder", "fmod"):
        ours = getattr(cr, name)(cr.tensor([True, False]), np.int8(-2))
        assert str(ours.dtype).split(".")[-1] == "int64"
        assert getattr(torch, name)(torch.tensor([True, False]), np.int8(-2)).dtype == torch.int64
