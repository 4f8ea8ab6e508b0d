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
    x = cr.Tensor(rng.standard_normal((3, 2)), requires_grad=True)
    assert gradcheck(Square.apply, x)


def test_gradcheck_catches_a_backward_that_forgets_the_upstream_gradient(rng):
    x = cr.Tensor(rng.standard_normal((3, 2)), requires_grad=True)
    with pytest.raises(GradcheckError, match=r"input 0 \(shape \(3, 2\)\) has a wrong gradient at index \(\d, \d\): analytic .* numeric"):
        gradcheck(ForgetsUpstream.apply, x)
    assert gradcheck(ForgetsUpstream.apply, x, raise_exception=False) is False


def test_gradcheck_needs_an_input_that_requires_grad():
    with pytest.raises(ValueError, match="requires_grad=True"):
        gradcheck(Square.apply, cr.tensor([1.0]))


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_every_primitive_passes_gradcheck(name, rng):
    fn, *inputs = PRIMITIVES[name](rng)
    assert gradcheck(fn, *inputs)
