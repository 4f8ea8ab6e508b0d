"""A list or tuple where an op takes a Tensor or a number is a TypeError, as in torch; a
comparison operator hands it back, so ``t == [1, 2]`` stays False."""

import pytest
import torch

import chainrule as cr

EXPRESSIONS = [
    "t + [1.0, 2.0]",
    "[1.0, 2.0] + t",
    "t - (1.0, 2.0)",
    "(1.0, 2.0) - t",
    "t * [1.0, 2.0]",
    "t / [1.0, 2.0]",
    "[1.0, 2.0] / t",
    "t ** [1.0, 2.0]",
    "t // [1.0, 2.0]",
    "t % [1.0, 2.0]",
    "t @ [1.0, 2.0]",
    "lib.add(t, [1.0, 2.0])",
    "lib.mul(t, (1.0, 2.0))",
    "lib.sub(t, [1.0, 2.0], alpha=2)",
    "lib.maximum(t, [1.0, 2.0])",
    "lib.atan2(t, [1.0, 2.0])",
    "t.copy_([1.0, 2.0])",
    "t.add_([1.0, 2.0])",
    "lib.where(t > 0, t, [1.0, 2.0])",
]


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_a_sequence_operand_is_a_type_error_in_both(expression):
    for lib in (torch, cr):
        t = lib.tensor([1.0, 2.0])
        with pytest.raises(TypeError):
            eval(expression, {"lib": lib, "t": t})


def test_chainrule_names_the_op_and_the_fix():
    with pytest.raises(
        cr.errors.NotATensorError, match=r"add: expected a Tensor or a number, got list"
    ):
        cr.tensor([1.0]) + [1.0]


@pytest.mark.parametrize("expression", ["t == [1.0, 2.0]", "t != (1.0, 2.0)"])
def test_comparisons_with_a_sequence_stay_python_s(expression):
    for lib in (torch, cr):
        assert eval(expression, {"t": lib.tensor([1.0, 2.0])}) is (expression.count("!=") == 1)


def test_a_user_function_still_takes_a_list_as_torch_passes_it_through():
    class Scale(cr.autograd.Function):
        @staticmethod
        def forward(ctx, x, factors):
            ctx.factors = factors
            return x * factors[0]

        @staticmethod
        def backward(ctx, grad):
            return grad * ctx.factors[0], None

    x = cr.tensor([1.0, 2.0], requires_grad=True)
    Scale.apply(x, [3.0]).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
