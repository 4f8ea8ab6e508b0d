"""torch.diff, torch.cdist, linalg.pinv and gaussian_nll_loss: values and gradients as torch's."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr
from chainrule import errors
from chainrule.nn import functional as F

pytestmark = [pytest.mark.oracle, pytest.mark.usefixtures("float64_default")]

TOL = dict(rtol=1e-10, atol=1e-12)


def _pair(array):
    ours = cr.tensor(array, requires_grad=True)
    theirs = torch.tensor(array, requires_grad=True)
    return ours, theirs


def _check(ours_out, theirs_out, ours_inputs, theirs_inputs, weight_seed=0):
    np.testing.assert_allclose(ours_out.detach().numpy(), theirs_out.detach().numpy(), **TOL)
    weights = np.random.default_rng(weight_seed).standard_normal(tuple(theirs_out.shape))
    (ours_out * cr.tensor(weights)).sum().backward()
    (theirs_out * torch.tensor(weights)).sum().backward()
    for a, b in zip(ours_inputs, theirs_inputs):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **TOL)


@pytest.mark.parametrize(
    "kwargs",
    [dict(), dict(n=2), dict(dim=0), dict(n=3, dim=1), dict(n=0)],
)
def test_diff(kwargs):
    x, tx = _pair(np.random.default_rng(1).standard_normal((5, 6)))
    _check(cr.diff(x, **kwargs), torch.diff(tx, **kwargs), [x], [tx])


def test_diff_prepend_append_and_method():
    x, tx = _pair(np.arange(5.0) ** 2)
    p, tp = _pair(np.array([-1.0, 0.5]))
    _check(
        cr.diff(x, prepend=p, append=x[:1]),
        torch.diff(tx, prepend=tp, append=tx[:1]),
        [x, p],
        [tx, tp],
    )
    assert cr.tensor([True, True, False]).diff().tolist() == [False, True]
    with pytest.raises(ValueError, match="diff"):
        cr.diff(cr.tensor(1.0))


@pytest.mark.parametrize("p", [1.0, 2.0, 3.0, 0.5])
def test_cdist(p):
    rng = np.random.default_rng(2)
    a, ta = _pair(rng.standard_normal((2, 4, 3)))
    b, tb = _pair(rng.standard_normal((2, 5, 3)))
    _check(cr.cdist(a, b, p=p), torch.cdist(ta, tb, p=p), [a, b], [ta, tb])


def test_cdist_shapes_are_checked():
    with pytest.raises(errors.ShapeError, match="cdist"):
        cr.cdist(cr.zeros(3, 2), cr.zeros(4, 3))


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4)])
def test_pinv(shape):
    a, ta = _pair(np.random.default_rng(3).standard_normal(shape))
    _check(cr.linalg.pinv(a), torch.linalg.pinv(ta), [a], [ta])


def test_pinv_of_a_rank_deficient_matrix():
    rng = np.random.default_rng(4)
    low = rng.standard_normal((5, 2)) @ rng.standard_normal((2, 4))
    ours = cr.linalg.pinv(cr.tensor(low)).numpy()
    np.testing.assert_allclose(ours, torch.linalg.pinv(torch.tensor(low)).numpy(), atol=1e-10)


@pytest.mark.parametrize(
    "var_shape, kwargs",
    [
        ((6, 3), dict()),
        ((6,), dict(full=True)),
        ((6, 1), dict(reduction="sum")),
        ((6, 3), dict(reduction="none", eps=0.3)),
    ],
)
def test_gaussian_nll_loss(var_shape, kwargs):
    rng = np.random.default_rng(5)
    x, tx = _pair(rng.standard_normal((6, 3)))
    t = rng.standard_normal((6, 3))
    v, tv = _pair(rng.uniform(0.1, 2.0, var_shape))
    ours = F.gaussian_nll_loss(x, cr.tensor(t), v, **kwargs)
    theirs = torch.nn.functional.gaussian_nll_loss(tx, torch.tensor(t), tv, **kwargs)
    _check(ours, theirs, [x, v], [tx, tv])
    module = cr.nn.GaussianNLLLoss(**kwargs)(x.detach(), cr.tensor(t), v.detach())
    np.testing.assert_allclose(module.numpy(), theirs.detach().numpy(), **TOL)


def test_gaussian_nll_loss_refuses_what_torch_refuses():
    x = cr.zeros(4, 3)
    with pytest.raises(ValueError, match="var with entries >= 0"):
        F.gaussian_nll_loss(x, x, -cr.ones(4, 3))
    with pytest.raises(ValueError, match="gaussian_nll_loss"):
        F.gaussian_nll_loss(x, x, cr.ones(2, 3))
    assert float(F.gaussian_nll_loss(x, x, 1.0)) == 0.0


def test_ravel_is_torch_ravel():
    x = cr.arange(6).reshape(2, 3)
    assert cr.ravel(x.T).tolist() == torch.ravel(torch.arange(6).reshape(2, 3).T).tolist()
    assert x.ravel().shape == (6,)
