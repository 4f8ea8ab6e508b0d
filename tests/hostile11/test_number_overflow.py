"""A Python number past a float dtype's range meets a tensor as inf, silently, as in torch
(NumPy's cast warns, which is an error under warnings-as-errors)."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")

CASES = [
    lambda L, t: t + 1e300,
    lambda L, t: 1e300 * t,
    lambda L, t: t - 1e39,
    lambda L, t: t / -1e300,
    lambda L, t: t.add(1e300),
    lambda L, t: t.mul(-1e300),
    lambda L, t: t.clone().add_(1e300),
    lambda L, t: t.clone().mul_(1e39),
    lambda L, t: L.add(t, 1e300),
    lambda L, t: t.double() + 1e300,
    lambda L, t: t.double() * 1e300 * 1e300,
    lambda L, t: t.int() + 1e300,
    lambda L, t: t + float("inf"),
    lambda L, t: t - float("inf"),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_a_number_past_the_range_is_inf_without_a_warning(case):
    ours = CASES[case](cr, cr.tensor([1.0, -2.0, 0.0]))
    theirs = CASES[case](torch, torch.tensor([1.0, -2.0, 0.0]))
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_the_gradient_through_such_a_number_is_torchs():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    (x * 1e300).sum().backward()
    tx = torch.tensor([1.0, 2.0], requires_grad=True)
    (tx * 1e300).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())
