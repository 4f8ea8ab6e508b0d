"""The notebook's hand-chained style: same numbers as autograd, no formula of its own."""

import ast
import inspect

import numpy as np
import pytest

import chainrule as cr
import chainrule.manual as manual
from chainrule import nn, optim
from chainrule.manual import adapter, layers, window

pytestmark = pytest.mark.usefixtures("float64_default")  # the notebook works in float64


def _regression_data():
    rng = np.random.default_rng(100)
    x = rng.random((10, 1)) * 5
    y = 2 * x + 3 + rng.standard_normal((10, 1))
    return np.concatenate([np.ones_like(x), x], axis=1), y


def _classification_data():
    rng = np.random.default_rng(100)
    x = rng.random((200, 2)) * 3
    t = (x[:, 1:] > -x[:, :1] + 3).astype(np.int64)
    return x, t


def test_regression_hand_chained_equals_autograd_bit_for_bit():
    X, Y = _regression_data()
    theta0 = np.array([[0.3, 0.7]])
    linear, mse = manual.Linear(2, bias=False, alpha=0.1, theta=theta0), manual.MSELoss()
    model = nn.Linear(2, 1, bias=False)
    model.weight.data[...] = theta0
    opt, loss_fn = optim.SGD(model.parameters(), lr=0.1), nn.MSELoss()
    for _ in range(100):
        pred = linear.forward(inputs=X)
        hand_loss = mse.forward(inputs=pred, targets=Y)
        grad = mse.backward()
        linear.backward(grad=grad)
        linear.update()

        opt.zero_grad()
        loss = loss_fn(model(cr.tensor(X)), Y)
        loss.backward()
        opt.step()
        assert hand_loss == loss.item()
    np.testing.assert_array_equal(linear.theta, model.weight.data)


def test_classification_hand_chained_equals_autograd_bit_for_bit():
    X, T = _classification_data()
    theta0 = np.array([[0.1, 0.2, 0.3]])  # [[c, a, b]], bias first as in the notebook
    linear, sigmoid, bce = (
        manual.Linear(2, bias=True, alpha=1.0, theta=theta0),
        manual.Sigmoid(),
        manual.BCELoss(epsilon=0),
    )
    model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
    model[0].bias.data[...] = theta0[:, 0]
    model[0].weight.data[...] = theta0[:, 1:]
    opt, loss_fn = optim.SGD(model.parameters(), lr=1.0), nn.BCELoss(epsilon=0)
    for _ in range(200):
        y = sigmoid.forward(inputs=linear.forward(inputs=X))
        hand_loss = bce.forward(inputs=y, targets=T)
        linear.backward(grad=sigmoid.backward(grad=bce.backward()))
        linear.update()

        opt.zero_grad()
        loss = loss_fn(model(cr.tensor(X)), T)
        loss.backward()
        opt.step()
        assert hand_loss == loss.item()
    np.testing.assert_array_equal(linear.theta[:, 1:], model[0].weight.data)
    np.testing.assert_array_equal(linear.theta[:, 0], model[0].bias.data)


def test_grad_theta_is_grad_transposed_times_inputs():
    X, Y = _regression_data()
    linear, mse = manual.Linear(2, theta=[[0.5, 0.5]]), manual.MSELoss()
    pred = linear.forward(inputs=X)
    mse.forward(inputs=pred, targets=Y)
    grad = mse.backward()
    np.testing.assert_allclose(grad, 2 * (pred - Y) / len(Y))
    grad_x = linear.backward(grad=grad)
    np.testing.assert_allclose(linear.grad_theta, grad.T @ X)
    np.testing.assert_allclose(grad_x, grad @ linear.theta)


def test_manual_layers_write_no_formula_of_their_own():
    """Principle 3: the adapters call the same Functions; no NumPy math lives here."""
    for module in (adapter, layers, window):
        tree = ast.parse(inspect.getsource(module))
        for node in ast.walk(tree):
            if isinstance(node, (ast.BinOp, ast.AugAssign)):
                assert not isinstance(node.op, (ast.MatMult, ast.Pow, ast.Div)), ast.unparse(node)
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "np"
            ):
                assert node.attr in {"asarray", "ndarray", "concatenate", "float64", "ones"}, (
                    f"np.{node.attr} in {module.__name__}"
                )


def test_backward_before_forward_is_explained():
    import pytest

    with pytest.raises(RuntimeError, match=r"Linear.backward: expected forward\(inputs=...\)"):
        manual.Linear(2).backward(grad=np.ones((1, 1)))


def test_manual_layers_and_autograd_call_the_same_functions(monkeypatch):
    """A student stepping into manual.Sigmoid.backward lands in functional's Sigmoid.backward."""
    calls = []
    for function in (cr.functional.Sigmoid, cr.functional.Linear, cr.functional.BCELoss):
        original = function.backward

        def spy(ctx, grad_y, original=original, name=function.__name__):
            calls.append(name)
            return original(ctx, grad_y)

        monkeypatch.setattr(function, "backward", staticmethod(spy))
    X, T = _classification_data()
    linear, sigmoid, bce = manual.Linear(2, bias=True), manual.Sigmoid(), manual.BCELoss(epsilon=0)
    bce.forward(inputs=sigmoid.forward(inputs=linear.forward(inputs=X)), targets=T)
    linear.backward(grad=sigmoid.backward(grad=bce.backward()))
    by_hand, calls[:] = list(calls), []
    model = nn.Sequential(nn.Linear(2, 1, dtype=cr.float64), nn.Sigmoid())
    nn.BCELoss(epsilon=0)(model(cr.tensor(X)), T).backward()
    assert by_hand == calls == ["BCELoss", "Sigmoid", "Linear"]


def test_manual_layers_work_in_the_dtype_of_their_arrays():
    linear = manual.Linear(2, dtype=np.float32, theta=[[0.5, 0.5]])
    X, _ = _regression_data()
    assert linear.forward(inputs=X.astype(np.float32)).dtype == np.float32
    with pytest.raises(cr.DTypeError, match="manual.Linear: expected inputs of dtype float32"):
        linear.forward(inputs=X)
