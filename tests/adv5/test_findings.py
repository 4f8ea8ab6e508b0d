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
