"""Tensor.backward(inputs=...) accumulates into those tensors only, as torch."""

import numpy as np
import pytest
import torch

import chainrule as cr


@pytest.mark.parametrize("lib", [cr, torch], ids=["chainrule", "torch"])
def test_backward_into_chosen_inputs_only(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, 4.0], requires_grad=True)
    (a * b).sum().backward(inputs=[a])
    assert b.grad is None
    np.testing.assert_array_equal(np.asarray(a.grad.tolist()), [3.0, 4.0])
    (a * b).sum().backward(inputs=b)  # one tensor, not a list; a keeps what it had
    np.testing.assert_array_equal(np.asarray(a.grad.tolist()), [3.0, 4.0])
    np.testing.assert_array_equal(np.asarray(b.grad.tolist()), [1.0, 2.0])


def test_an_intermediate_input_gets_a_grad_and_the_leaves_none():
    got, want = [], []
    for lib, out in ((cr, got), (torch, want)):
        a = lib.tensor([1.0, -2.0], requires_grad=True)
        h = a * 3
        (h * h).sum().backward(inputs=[h])
        out.append((a.grad, h.grad.tolist()))
    assert got[0][0] is None and want[0][0] is None
    assert got[0][1] == want[0][1]


def test_empty_inputs_are_refused_as_torch_refuses_them():
    a = cr.tensor([1.0], requires_grad=True)
    with pytest.raises(cr.errors.ArgumentError, match="non-empty inputs"):
        (a * 2).sum().backward(inputs=[])
