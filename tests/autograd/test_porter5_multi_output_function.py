"""A torch-style autograd.Function with several outputs, against torch: values, gradients
(an unused output's gradient arrives as zeros), gradcheck, and the error for mixed outputs."""

import numpy as np
import pytest
import torch

import chainrule as cr


def _split_square(lib):
    class SplitSquare(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            return x * y, (2 * x).sum(0)

        @staticmethod
        def backward(ctx, grad_product, grad_column):
            x, y = ctx.saved_tensors
            return grad_product * y + 2 * grad_column.unsqueeze(0).expand_as(x), grad_product * x

    return SplitSquare


def _run(lib, use_second):
    op = _split_square(lib)
    x = lib.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    y = lib.tensor(np.linspace(-1, 1, 6).reshape(2, 3), requires_grad=True)
    product, column = op.apply(x, y)
    loss = (product**2).sum()
    if use_second:
        loss = loss + (column * lib.tensor([1.0, 2.0, 3.0], dtype=column.dtype)).sum()
    loss.backward()
    return [product.detach().numpy(), column.detach().numpy(), x.grad.numpy(), y.grad.numpy()]


@pytest.mark.parametrize("use_second", [True, False])
def test_two_outputs_match_torch(use_second):
    for ours, theirs in zip(_run(cr, use_second), _run(torch, use_second)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_two_outputs_without_grad_and_gradcheck():
    op = _split_square(cr)
    outs = op.apply(cr.ones(2, 3), cr.ones(2, 3))
    assert isinstance(outs, tuple) and [o.shape for o in outs] == [(2, 3), (3,)]
    assert not outs[0].requires_grad
    x = cr.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    y = cr.tensor(np.linspace(-1, 1, 6).reshape(2, 3), requires_grad=True)
    assert cr.autograd.gradcheck(op.apply, (x, y))


def test_one_element_tuple_stays_a_tuple():
    class Twice(cr.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return (2 * x,)

        @staticmethod
        def backward(ctx, grad):
            return 2 * grad

    x = cr.ones(3, requires_grad=True)
    (out,) = Twice.apply(x)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0, 2.0])


def test_outputs_of_mixed_kinds_are_refused():
    class Mixed(cr.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x.argmax()

        @staticmethod
        def backward(ctx, grad, _):
            return grad * 2

    with pytest.raises(
        TypeError, match="Mixed.forward: expected one Tensor, or a tuple of Tensors of one dtype"
    ):
        Mixed.apply(cr.ones(3, requires_grad=True))
