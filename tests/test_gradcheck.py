import numpy as np
import pytest

import chainrule as cr
from chainrule import Function, GradcheckError, gradcheck
from tests.gradcheck_cases import PRIMITIVES

pytestmark = pytest.mark.usefixtures("float64_default")  # these tests check float64 numerics


class ForgetsUpstream(Function):
    """A wrong backward a student might write: it ignores grad_y."""

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return x * x

    @staticmethod
    def backward(ctx, grad_y):
        return 2 * ctx.x


class Square(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return x * x

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * 2 * ctx.x


def test_gradcheck_passes_a_correct_function(rng):
    x = cr.tensor(rng.standard_normal((3, 2)), requires_grad=True)
    assert gradcheck(Square.apply, x)


def test_gradcheck_catches_a_backward_that_forgets_the_upstream_gradient(rng):
    x = cr.tensor(rng.standard_normal((3, 2)), requires_grad=True)
    with pytest.raises(
        GradcheckError,
        match=r"input 0 \(shape \(3, 2\)\) has a wrong gradient at index \(\d, \d\): analytic .* numeric",
    ):
        gradcheck(ForgetsUpstream.apply, x)
    assert gradcheck(ForgetsUpstream.apply, x, raise_exception=False) is False


def test_gradcheck_needs_an_input_that_requires_grad():
    with pytest.raises(ValueError, match="requires_grad=True"):
        gradcheck(Square.apply, cr.tensor([1.0]))


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_every_primitive_passes_gradcheck(name, rng):
    fn, *inputs = PRIMITIVES[name](rng)
    assert gradcheck(fn, *inputs)


class BackwardNaN(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * np.nan


class ForwardNaN(Function):
    @staticmethod
    def forward(ctx, x):
        return x * np.nan

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * 2


@pytest.mark.parametrize(
    "fn",
    [BackwardNaN.apply, ForwardNaN.apply, lambda t: t * float("nan")],
    ids=["nan backward", "nan forward", "times nan"],
)
def test_gradcheck_fails_a_non_finite_gradient_naming_the_element(fn, rng):
    x = cr.tensor(rng.standard_normal(4), requires_grad=True)
    with pytest.raises(
        GradcheckError, match=r"input 0 \(shape \(4,\)\) has a non-finite gradient at index \(0,\)"
    ):
        gradcheck(fn, x)
    assert gradcheck(fn, x, raise_exception=False) is False
    assert cr.autograd.gradcheck(fn, x, raise_exception=False) is False


@pytest.mark.parametrize(
    "config, pattern",
    [
        ({"eps": 0}, r"gradcheck: expected a finite eps > 0, got 0\."),
        ({"eps": -1e-6}, r"gradcheck: expected a finite eps > 0, got -1e-06\."),
        ({"atol": float("nan")}, r"gradcheck: expected a finite atol >= 0, got nan\."),
        ({"atol": float("inf")}, r"gradcheck: expected a finite atol >= 0, got inf\."),
        ({"rtol": -1.0}, r"gradcheck: expected a finite rtol >= 0, got -1\.0\."),
    ],
)
def test_gradcheck_refuses_a_tolerance_that_would_pass_anything(config, pattern, rng):
    x = cr.tensor(rng.standard_normal(3), requires_grad=True)
    with pytest.raises(ValueError, match=pattern):
        gradcheck(ForgetsUpstream.apply, x, **config)
    with pytest.raises(ValueError, match=pattern):
        cr.autograd.gradcheck(ForgetsUpstream.apply, x, **config)
