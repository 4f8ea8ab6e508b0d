"""torch.autograd.forward_ad, torch.autograd.backward and torch.autograd.gradgradcheck against
torch 2.13."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.autograd.forward_ad as fwAD
from chainrule.errors import ArgumentError, GraphError, UnsupportedError
from chainrule.gradcheck import GradcheckError

pytestmark = [
    pytest.mark.oracle,
    pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning"),
]
torch = pytest.importorskip("torch")
import torch.autograd.forward_ad as tfwAD  # noqa: E402

X = np.array([0.3, -0.5, 1.2], np.float32)
T = np.array([1.0, 2.0, -0.5], np.float32)


def test_forward_ad_tangent_equals_torchs():
    results = []
    for lib, ad in ((cr, fwAD), (torch, tfwAD)):
        with ad.dual_level():
            x = ad.make_dual(lib.tensor(X), lib.tensor(T))
            y = (x.sin() * x.exp()).softmax(0) @ x.reshape(3, 1)
            primal, tangent = ad.unpack_dual(y)
            results.append((primal.numpy(), tangent.numpy()))
        assert ad.unpack_dual(y).tangent is None  # the level is closed
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_make_dual_keeps_the_gradient_path_to_its_primal():
    grads = []
    for lib, ad in ((cr, fwAD), (torch, tfwAD)):
        x = lib.tensor(X, requires_grad=True)
        with ad.dual_level():
            y = ad.make_dual(x, lib.tensor(T))
            (y**2).sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1])


def test_unpack_dual_of_a_plain_tensor_and_the_errors():
    with fwAD.dual_level():
        assert fwAD.unpack_dual(cr.ones(2)).tangent is None
        with pytest.raises(ArgumentError, match="tangent of the tensor's shape"):
            fwAD.make_dual(cr.ones(2), cr.ones(3))
    with pytest.raises(GraphError, match="open dual level"):
        fwAD.make_dual(cr.ones(2), cr.ones(2))
    with pytest.raises(RuntimeError):
        tfwAD.make_dual(torch.ones(2), torch.ones(2))


@pytest.mark.parametrize("with_inputs", [False, True])
def test_autograd_backward(with_inputs):
    grads = []
    for lib in (cr, torch):
        x = lib.tensor(X, requires_grad=True)
        w = lib.tensor(T, requires_grad=True)
        y = x * w
        kwargs = {"inputs": [x]} if with_inputs else {}
        lib.autograd.backward([y.sum(), (y**2)], [None, lib.ones(3) * 2], **kwargs)
        grads.append((x.grad.numpy(), None if w.grad is None else w.grad.numpy()))
    np.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-6)
    assert (grads[0][1] is None) == (grads[1][1] is None) == with_inputs
    if not with_inputs:
        np.testing.assert_allclose(grads[0][1], grads[1][1], rtol=1e-6)


def test_gradgradcheck_passes_where_torchs_does():
    for lib in (cr, torch):
        x = lib.tensor(X.astype(np.float64), requires_grad=True)
        w = lib.tensor(T.astype(np.float64), requires_grad=True)
        assert lib.autograd.gradgradcheck(lambda a, b: (a * b).tanh() * a.exp(), (x, w))
        assert lib.autograd.gradgradcheck(lambda a: (a.sigmoid() @ a) * a, (x,))


def test_gradgradcheck_finds_a_wrong_second_derivative(monkeypatch):
    # as torch's: double backward (chainrule/higher's rules) against finite differences of the
    # first backward, so a rule whose graph misses a path is caught: tanh's slope as a constant
    from chainrule.functional.activation import Tanh
    from chainrule.higher import RULES
    from chainrule.higher.rules import const

    broken = lambda ctx, out, grad: grad * const(1.0 - out._data**2, grad)  # noqa: E731
    monkeypatch.setitem(RULES, Tanh, broken)
    x = cr.tensor(X.astype(np.float64), requires_grad=True)
    with pytest.raises(
        GradcheckError, match="gradgradcheck: the second derivative with respect to input 0"
    ):
        cr.autograd.gradgradcheck(lambda a: a.tanh() * a, (x,))
    assert not cr.autograd.gradgradcheck(lambda a: a.tanh() * a, (x,), raise_exception=False)


def test_gradgradcheck_checks_the_grad_outputs_too(monkeypatch):
    # a rule that takes the incoming gradient as a constant is right in the inputs only
    from chainrule.functional.activation import Sigmoid
    from chainrule.higher import RULES
    from chainrule.higher.rules import const

    broken = lambda ctx, out, grad: const(grad._data, grad) * out * (1.0 - out)  # noqa: E731
    monkeypatch.setitem(RULES, Sigmoid, broken)
    x = cr.tensor(X.astype(np.float64), requires_grad=True)
    with pytest.raises(GradcheckError, match="with respect to grad_output 0"):
        cr.autograd.gradgradcheck(lambda a: a.sigmoid(), (x,))


def test_gradgradcheck_refuses_ops_without_a_double_backward_formula():
    class Square(cr.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.x = x
            return x * x

        @staticmethod
        def backward(ctx, grad_y):
            return grad_y * 2 * ctx.x

    x = cr.tensor([0.5, -0.7], dtype=cr.float64, requires_grad=True)
    with pytest.raises(UnsupportedError, match=r"got Square \(square\), which has none"):
        cr.autograd.gradgradcheck(Square.apply, (x,))
