"""Div, ELU and erfinv save their inputs, as torch's do, so their output may be changed in
place after the forward; their double-backward rules must read the inputs too, or a second
derivative taken after such a change is silently wrong."""

import numpy as np
import pytest
import torch

import chainrule as cr

CASES = {
    "div": lambda lib, a, b: a / b,
    "elu": lambda lib, a, b: lib.nn.functional.elu(a * b, 0.8),
    "erfinv": lambda lib, a, b: lib.erfinv(a * b * 0.1),
}


def _second(lib, name):
    a = lib.tensor([-1.5, 0.3, 2.0], dtype=lib.float64, requires_grad=True)
    b = lib.tensor([0.7, -1.2, 3.0], dtype=lib.float64, requires_grad=True)
    y = CASES[name](lib, a, b)
    ga, gb = lib.autograd.grad(y.sum(), (a, b), create_graph=True)
    with lib.no_grad():
        y.mul_(5.0)  # the output changes after the first backward recorded its graph
    h = lib.autograd.grad((ga * ga).sum() + (gb * gb).sum(), (a, b), allow_unused=True)
    return [np.zeros(3) if t is None else t.detach().numpy() for t in h]


@pytest.mark.parametrize("name", CASES)
def test_second_derivative_after_the_output_changed_in_place_matches_torch(name):
    for mine, theirs in zip(_second(cr, name), _second(torch, name)):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-12)
