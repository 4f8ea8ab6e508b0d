"""What the engine checks in a backward's result, and the fast paths of Function.apply."""

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule import GraphError, ShapeError
from chainrule.functional.arithmetic import Add, Mul


class WrongShape(cr.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2.0

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y[:1]  # a student's bug: a slice where the whole gradient belongs


class TooFew(cr.Function):
    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad_y):
        return (grad_y,)


def test_a_users_function_returning_the_wrong_shape_is_named():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(
        ShapeError, match=r"WrongShape.backward: expected a gradient of shape \(2,\), got \(1,\)"
    ):
        WrongShape.apply(x).sum().backward()


def test_a_users_function_returning_too_few_gradients_is_named():
    a, b = cr.ones(2, requires_grad=True), cr.ones(2, requires_grad=True)
    with pytest.raises(GraphError, match=r"TooFew.backward: expected 2 gradients"):
        TooFew.apply(a, b).sum().backward()


def test_only_functions_written_outside_chainrule_are_checked_without_anomaly_mode():
    assert WrongShape.check_grads and TooFew.check_grads
    assert not Mul.check_grads and not Add.check_grads


def test_a_wrong_shape_for_an_input_that_needs_no_gradient_is_ignored_as_before():
    class Loose(cr.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, grad_y):
            return grad_y, grad_y[:1]

    a, b = cr.ones(2, requires_grad=True), cr.ones(2)
    Loose.apply(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [1.0, 1.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_tensor_with_a_python_number_keeps_dtype_and_matches_torch(dtype):
    values = np.array([0.5, -1.5, 2.0], dtype=dtype)
    x, t = cr.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    y = ((x * 3 + 0.1) - 2) * x / 0.7
    u = ((t * 3 + 0.1) - 2) * t / 0.7
    assert y.dtype == dtype
    y.sum().backward()
    u.sum().backward()
    np.testing.assert_allclose(y.detach().numpy(), u.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-6)
    assert x.grad.dtype == dtype


def test_broadcast_gradients_are_summed_back_for_each_elementwise_op():
    rng = np.random.default_rng(0)
    a_np = rng.standard_normal((3, 1)).astype(np.float32)
    b_np = rng.uniform(1.0, 2.0, (4,)).astype(np.float32)
    for op in ("add", "sub", "mul", "div"):
        a, b = cr.tensor(a_np, requires_grad=True), cr.tensor(b_np, requires_grad=True)
        s, t = torch.tensor(a_np, requires_grad=True), torch.tensor(b_np, requires_grad=True)
        getattr(a, op)(b).sum().backward()
        getattr(s, op)(t).sum().backward()
        np.testing.assert_allclose(a.grad.numpy(), s.grad.numpy(), rtol=1e-5, err_msg=op)
        np.testing.assert_allclose(b.grad.numpy(), t.grad.numpy(), rtol=1e-5, err_msg=op)


def test_freed_reads_the_engines_mark():
    """ctx.freed is read from the FREED versions the engine leaves, not stored beside them."""
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    mul = y.grad_fn.inputs[0]._ctx  # (the Sum node's input is the Mul's result)
    assert not mul.freed
    y.backward(retain_graph=True)
    assert not mul.freed
    y.backward()
    assert mul.freed and not hasattr(mul, "a")  # what forward saved is gone with it
    with pytest.raises(GraphError, match="Sum whose saved arrays were freed"):
        y.backward()


def test_a_torch_style_function_reads_saved_tensors_only_while_the_graph_lives():
    class Cube(cr.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x * x

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * 3 * x * x

    x = cr.tensor([2.0], requires_grad=True)
    y = Cube.apply(x)
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.float32([12.0]))
    with pytest.raises(GraphError, match="freed by an earlier backward"):
        _ = y.grad_fn.saved_tensors
