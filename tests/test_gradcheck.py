import numpy as np
import pytest

import chainrule as cr
import chainrule.functional as F
from chainrule import Function, GradcheckError, gradcheck

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


def _t(rng, *shape, positive=False):
    values = rng.standard_normal(shape)
    if positive:
        values = np.abs(values) + 0.5
    return cr.Tensor(values, requires_grad=True)


# Every primitive Function, through gradcheck in float64.
CASES = {
    "add": lambda r: (F.add, _t(r, 3, 1), _t(r, 4)),
    "sub": lambda r: (F.sub, _t(r, 2, 3), _t(r, 3)),
    "mul": lambda r: (F.mul, _t(r, 2, 3), _t(r, 2, 1)),
    "div": lambda r: (F.div, _t(r, 2, 3), _t(r, 3, positive=True)),
    "neg": lambda r: (F.neg, _t(r, 4)),
    "pow_scalar": lambda r: (lambda x: x**2.5, _t(r, 4, positive=True)),
    "pow": lambda r: (F.pow, _t(r, 3, positive=True), _t(r, 3)),
    "exp": lambda r: (F.exp, _t(r, 2, 2)),
    "log": lambda r: (F.log, _t(r, 5, positive=True)),
    "sqrt": lambda r: (F.sqrt, _t(r, 5, positive=True)),
    "abs": lambda r: (F.abs, _t(r, 5)),
    "maximum": lambda r: (F.maximum, _t(r, 3, 2), _t(r, 2)),
    "minimum": lambda r: (F.minimum, _t(r, 3, 2), _t(r, 2)),
    "clip": lambda r: (lambda x: F.clip(x, -0.5, 0.5), _t(r, 6)),
    "where": lambda r: (lambda a, b: F.where(a.numpy() > 0, a, b), _t(r, 4), _t(r, 4)),
    "matmul": lambda r: (F.matmul, _t(r, 2, 3, 4), _t(r, 4, 2)),
    "matmul_vec": lambda r: (F.matmul, _t(r, 3), _t(r, 3, 2)),
    "sum": lambda r: (lambda x: x.sum(1), _t(r, 2, 3)),
    "mean": lambda r: (lambda x: x.mean(0, keepdim=True), _t(r, 2, 3)),
    "max": lambda r: (lambda x: x.amax(1), _t(r, 2, 3)),
    "max_dim_values": lambda r: (lambda x: x.max(1).values, _t(r, 2, 3)),
    "sin_cos": lambda r: (lambda x: cr.sin(x) * cr.cos(x), _t(r, 4)),
    "expand": lambda r: (lambda x: x.expand(2, 3, 3) * 1.5, _t(r, 3, 1)),
    "repeat": lambda r: (lambda x: x.repeat(2, 1, 3), _t(r, 2, 2)),
    "round": lambda r: (lambda x: x.round() + x, _t(r, 4)),
    "setitem": lambda r: (lambda x, v: F.setitem(x, (slice(None), 1), v), _t(r, 2, 3), _t(r, 2)),
    "var_std": lambda r: (lambda x: x.var(1).sum() + x.std(0).sum(), _t(r, 3, 4)),
    "min": lambda r: (lambda x: x.min(), _t(r, 2, 3)),
    "reshape": lambda r: (lambda x: x.reshape(3, 2), _t(r, 2, 3)),
    "permute": lambda r: (lambda x: x.permute(1, 2, 0), _t(r, 2, 3, 2)),
    "getitem": lambda r: (lambda x: x[np.array([0, 0, 1])], _t(r, 2, 3)),
    "cat": lambda r: (lambda a, b: cr.cat([a, b], 1), _t(r, 2, 3), _t(r, 2, 1)),
    "stack": lambda r: (lambda a, b: cr.stack([a, b]), _t(r, 2), _t(r, 2)),
    "cast": lambda r: (lambda x: F.Cast.apply(x, dtype=np.dtype(np.float64)) * x, _t(r, 3)),
    "clone": lambda r: (lambda x: x.clone() * x, _t(r, 3)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_primitive_passes_gradcheck(name, rng):
    fn, *inputs = CASES[name](rng)
    assert gradcheck(fn, *inputs)
