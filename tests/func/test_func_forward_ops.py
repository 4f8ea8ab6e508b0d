"""Forward mode op by op: each op's jvp (tangent through forward) and hessian (tangent through
its backward too) against torch's, and the list of ops forward mode admits
(chainrule.func.forward_ops.TESTED) equal to the ops these cases record."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.errors import GraphError, UnsupportedError
from chainrule.func.forward import make_dual
from chainrule.func.forward_ops import TESTED, names_in

pytestmark = [
    pytest.mark.oracle,
    pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:There is a performance drop:UserWarning"),  # unfold's
]
torch = pytest.importorskip("torch")


def _lib(x):
    return torch if isinstance(x, torch.Tensor) else cr


def _F(x):
    return _lib(x).nn.functional


# Each case maps a 3-vector to a tensor; hessians take the sum of its output.
CASES = {
    "add_sub_neg": lambda x: x + 2 * x - (-x) - 1,
    "mul_div": lambda x: x * x / (x + 2) + 1 / (x + 3),
    "rsub_rdiv": lambda x: (1 - x) * (2 / (x + 3)),
    "pow": lambda x: x**3 + (x + 2) ** (x * 0.5),
    "square_reciprocal": lambda x: x.square() + (x + 3).reciprocal(),
    "exp_log_sqrt": lambda x: x.exp() + (x * x + 1).log() + (x * x + 1).sqrt(),
    "abs": lambda x: x.abs() * x,
    "sin_cos": lambda x: x.sin() * x.cos(),
    "tanh_sigmoid": lambda x: x.tanh() + x.sigmoid() * x,
    "relu": lambda x: x.relu() * x,
    "leaky_relu": lambda x: _F(x).leaky_relu(x, 0.1) * x,
    "elu": lambda x: _F(x).elu(x),
    "softplus": lambda x: _F(x).softplus(x) * x,
    "clamp": lambda x: x.clamp(-0.4, 1.0) * x,
    "where": lambda x: _lib(x).where(x > 0, x * x, x**3),
    "sum_mean": lambda x: (x * x).sum() * x + (x**3).mean(),
    "amax_max": lambda x: x.max() ** 2 + (x * x).amax() + x.max(dim=0).values,
    "var_std_norm": lambda x: x.var() * x + x.std() + x.norm() ** 3,
    "cumsum": lambda x: x.cumsum(0) ** 2,
    "matmul": lambda x: (x.reshape(3, 1) @ x.reshape(1, 3)).sum(dim=1) ** 2,
    "linear": lambda x: (
        _F(x).linear(x.reshape(1, 3), (x * x).reshape(1, 3).expand(2, 3), x[:2]).tanh()
    ),
    "getitem": lambda x: x[1:] * x[:2] + x[0] ** 3,
    "shape_ops": lambda x: (
        (x.unsqueeze(0).expand(2, 3) * x).t().reshape(-1).view(2, 3).squeeze().flatten()
    ),
    "permute_stack_cat": lambda x: (
        _lib(x).cat([_lib(x).stack([x, x * x]).permute(1, 0).reshape(-1), x]) ** 2
    ),
    "softmax": lambda x: x.softmax(0) * x + x.log_softmax(0) * x,
    "logsumexp": lambda x: x.logsumexp(0) * x,
    # a loss is the last op (its backward reads the upstream gradient as a float)
    "mse_loss": lambda x: _F(x).mse_loss(x * x, x.detach() * 0 + 1) + x,
    "cross_entropy": lambda x: _F(x).cross_entropy((x * x).reshape(1, 3), _lib(x).tensor([1])) + x,
    "select": lambda x: x.reshape(1, 3).select(0, 0) ** 2,
    # views: strided_views.py (their NumPy stride tricks would drop a tangent; they carry it)
    "diagonal_unfold": lambda x: (
        _lib(x).cat([(x.reshape(3, 1) * x).diagonal(1), x.unfold(0, 2, 1).reshape(-1)]) ** 3
    ),
}
X = np.array([0.3, -0.5, 1.2], np.float32)
V = np.array([1.0, 2.0, -0.5], np.float32)


@pytest.mark.parametrize("name", list(CASES))
def test_jvp_equals_torch(name):
    f = CASES[name]
    ours = cr.func.jvp(f, (cr.tensor(X),), (cr.tensor(V),))
    theirs = torch.func.jvp(f, (torch.tensor(X),), (torch.tensor(V),))
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", list(CASES))
def test_hessian_equals_torch(name):
    f = CASES[name]
    ours = cr.func.hessian(lambda x: f(x).sum())(cr.tensor(X))
    theirs = torch.func.hessian(lambda x: f(x).sum())(torch.tensor(X))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-4, atol=1e-5)


def test_the_admitted_ops_are_the_tested_ones():
    seen = set()
    for f in CASES.values():
        x = make_dual(cr.tensor(X), cr.tensor(V))
        out = f(x)
        seen |= names_in([out])
        x = cr.tensor(X, requires_grad=True)  # and what their backward records
        seen |= names_in([f(x)])
    assert (
        TESTED - {"MakeDual"} == seen
    )  # (MakeDual: forward_ad, tests/func/test_func_forward_ad.py)


def test_an_op_without_a_tested_forward_mode_is_refused_not_wrong():
    with pytest.raises(UnsupportedError, match="expected ops with a tested forward mode, got gelu"):
        cr.func.jvp(cr.nn.functional.gelu, (cr.tensor(X),), (cr.tensor(V),))
    with pytest.raises(UnsupportedError, match="gelu"):
        cr.func.hessian(lambda x: cr.nn.functional.gelu(x).sum())(cr.tensor(X))


def test_a_tangent_that_would_be_dropped_is_refused():
    # MSELoss's backward reads its upstream gradient with float(): a gradient that carries a
    # tangent (the loss is not the last op) would lose it, so it raises instead
    with pytest.raises(GraphError, match="float"):
        cr.func.hessian(lambda x: (cr.nn.functional.mse_loss(x, x.detach() * 0) * x).sum())(
            cr.tensor(X)
        )
