"""Code as ten students wrote it without reading chainrule's docs, for test_student4_habits.py.

Each class is what one habit produces: notebook code kept with its Japanese comments, the
textbook's self.params / backward(dout=1), a micrograd Value, state in globals, np.matrix,
a tuple from backward, prints, functions instead of classes, fit/predict, blanks left as
``...`` and ``raise NotImplementedError``, and a loop that never ends.
"""

import numpy as np

X = np.ones((10, 2))  # the notebook's data, left at module level as the notebook leaves it
alpha = 0.1  # the notebook gives the learning rate "globally, for convenience"
_cache = None


class Linear2GlobalAlpha:
    """update() reads the module's alpha: right, as the notebook's own text allows."""

    def __init__(self):
        self.theta = np.random.default_rng(0).random((1, 2))
        self.grad_theta = None

    def forward(self, inputs):
        self.inputs = inputs  # 入力を保存しておく
        return inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = grad.T @ self.inputs  # 行列演算だけで a, b の勾配をいっぺんに
        return grad @ self.theta

    def update(self):
        self.theta -= alpha * self.grad_theta


class Linear2ReadsGlobalX(Linear2GlobalAlpha):
    """backward reads the global X: it works in the notebook, where X is always the input."""

    def backward(self, grad):
        self.grad_theta = grad.T @ X
        return grad @ self.theta


class SigmoidGlobal:
    """The output kept in a module global instead of self: right while one layer exists."""

    def forward(self, inputs):
        global _cache
        _cache = 1 / (1 + np.exp(-inputs))
        return _cache

    def backward(self, grad):
        return grad * _cache * (1 - _cache)


class Linear2Matrix:
    """np.matrix, where * is a matrix product: right, and check must not call it wrong."""

    def __init__(self, alpha=0.1):
        self.theta = np.matrix(np.random.default_rng(0).random((1, 2)))
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = np.matrix(inputs)
        return self.inputs * self.theta.T

    def backward(self, grad):
        grad = np.matrix(grad)
        self.grad_theta = grad.T * self.inputs
        return grad * self.theta

    def update(self):
        self.theta = self.theta - self.alpha * self.grad_theta


class TwoLayerNetParams:
    """The textbook's self.params / self.grads, with backward(self, dout=1) on a layer."""

    def __init__(self, input_size=3, hidden_size=4, bug=None):
        rng = np.random.default_rng(0)
        self.params = {
            "W1": rng.standard_normal((input_size, hidden_size)) * 0.1,
            "b1": np.zeros(hidden_size),
        }
        self.grads = {}
        self.bug = bug

    def forward(self, x):
        self.x = x
        return x @ self.params["W1"] + self.params["b1"]

    def backward(self, dout=1):
        self.grads["W1"] = self.x.T @ dout * (2 if self.bug == "factor 2" else 1)
        self.grads["b1"] = dout.sum(axis=0)
        return dout @ self.params["W1"].T


class Linear2Tuple:
    """backward returns (grad_x, grad_theta), as some tutorials do."""

    def __init__(self, alpha=0.1):
        self.theta = np.random.default_rng(0).random((1, 2))
        self.alpha = alpha
        self.grad_theta = None

    def forward(self, inputs):
        self.inputs = inputs
        return inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta, self.grad_theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


class SigmoidPrints:
    """Prints on every call: finite differences call it hundreds of times."""

    def forward(self, x):
        print("順伝搬", x.shape)
        self.y = 1 / (1 + np.exp(-x))
        return self.y

    def backward(self, grad):
        print("逆伝搬")
        return grad * self.y * (1 - self.y)


class SigmoidLoop:
    """A while loop whose counter is never increased."""

    def forward(self, x):
        self.y = 1 / (1 + np.exp(-x))
        return self.y

    def backward(self, grad):
        i = 0
        while i < 10:
            grad = grad * 1.0
        return grad * self.y * (1 - self.y)


class SigmoidEllipsis:
    def forward(self, x):
        self.y = 1 / (1 + np.exp(-x))
        return self.y

    def backward(self, grad):
        return ...


class MSELossEllipsis:
    """The blank is in forward (self.grad = ...); backward only hands it back."""

    def forward(self, inputs, targets):
        self.grad = ...
        return np.mean((targets - inputs) ** 2)

    def backward(self):
        return self.grad


class Linear3Ellipsis:
    def __init__(self, alpha=0.1):
        self.theta = ...
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        n = inputs.shape[0]
        self.inputs = np.concatenate([np.ones([n, 1]), inputs], axis=1)
        return self.inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


class LinearWriteHere:
    """Section 1.1 with the notebook's own blank marker left in place."""

    def __init__(self, a_init=2.0, b_init=1.0):
        self.a, self.b = a_init, b_init

    def forward(self, x):
        return """WRITE HERE"""


def loss_MSE(inputs, targets):
    raise NotImplementedError()


class MSELossBlank:
    """nbgrader's student version: forward itself is blank, and so is loss_MSE, which it calls."""

    def forward(self, inputs, targets):
        raise NotImplementedError()
        return loss_MSE(inputs, targets)

    def backward(self):
        return self.grad


def linear_forward(x, theta):
    return x @ theta.T


def linear_backward(grad, x, theta):
    return grad @ theta, grad.T @ x


class MyLinearRegression:
    """sklearn's habit: fit() and predict(), no forward or backward."""

    def __init__(self, lr=0.1, n_iter=100):
        self.lr, self.n_iter = lr, n_iter

    def fit(self, X, y):
        self.theta = np.zeros((1, X.shape[1]))
        for _ in range(self.n_iter):
            self.theta -= self.lr * (-2 * (y - X @ self.theta.T).T @ X / len(X))
        return self

    def predict(self, X):
        return X @ self.theta.T


class Value:
    """micrograd's scalar autograd, cut down to + and *."""

    def __init__(self, data, _children=()):
        self.data, self.grad = data, 0.0
        self._backward = lambda: None
        self._prev = set(_children)

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if v not in seen:
                seen.add(v)
                for child in v._prev:
                    visit(child)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()


class SigmoidSignBug:
    def forward(self, inputs):
        self.output = 1 / (1 + np.exp(-inputs))
        return self.output

    def backward(self, grad):
        return grad * self.output * (self.output - 1)  # 符号ミス


class BCELoss:
    """The notebook's BCELoss, copied with its Japanese comment."""

    def __init__(self, epsilon: float = 1e-10):
        self.grad: np.ndarray = None
        self.epsilon: float = epsilon

    def forward(self, inputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
        eps = self.epsilon  # 0 割りを避けるための小さな値
        self.grad = (-targets / (inputs + eps) + (1 - targets) / (1 - inputs + eps)) / len(inputs)
        return np.mean(-(1 - targets) * np.log(1 - inputs + eps) - targets * np.log(inputs + eps))

    def backward(self) -> np.ndarray:
        return self.grad
