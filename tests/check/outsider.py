"""Code an outside student wrote against the seed notebook, on which chainrule.check once went wrong.

Each piece is either right (check must pass it) or carries one planted bug (check must name it).
"""

import numpy as np


def sigmoid_in_place(x):
    x *= -1
    return 1 / (1 + np.exp(x))


def loss_MSE_in_place(inputs, targets):
    inputs -= targets
    return np.mean(inputs**2)


def loss_MSE_square_of_mean(inputs, targets):
    return np.mean(targets - inputs) ** 2


class Linear2:
    """No grad_theta in __init__: backward creates it."""

    def __init__(self, alpha=0.1, factor=1.0, theta_shape=(1, 2)):
        self.theta = np.random.default_rng(0).random(theta_shape)
        self.alpha = alpha
        self.factor = factor

    def forward(self, inputs):
        self.inputs = inputs
        return inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = self.factor * grad.T @ self.inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


class Linear2Double(Linear2):
    def __init__(self):
        super().__init__(factor=2.0)


class Linear2OverN(Linear2):
    def backward(self, grad):
        out = super().backward(grad)
        self.grad_theta = self.grad_theta / len(grad)
        return out


class Linear2DTheta(Linear2):
    def backward(self, grad):
        self.d_theta = grad.T @ self.inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.d_theta


class Linear2Column:
    """theta as a column (2, 1), consistently: right for its shape, not the notebook's."""

    def __init__(self, alpha=0.1):
        self.theta = np.random.default_rng(0).random((2, 1))
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = inputs
        return inputs @ self.theta

    def backward(self, grad):
        self.grad_theta = self.inputs.T @ grad
        return grad @ self.theta.T

    def update(self):
        self.theta -= self.alpha * self.grad_theta


class LayerW:
    """Its own names: W and grad_W, created by backward; grad_W is twice too big."""

    def __init__(self, alpha=0.1):
        self.W = np.random.default_rng(0).random((1, 2))
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = inputs
        return inputs @ self.W.T

    def backward(self, grad):
        self.grad_W = 2 * grad.T @ self.inputs
        return grad @ self.W

    def update(self):
        self.W -= self.alpha * self.grad_W


class PlaneLayer:
    """The notebook's Linear3 under another name: theta (1, 3), the ones column added inside."""

    def __init__(self, theta_shape=(1, 3)):
        self.theta = np.random.default_rng(1).random(theta_shape)
        self.alpha = 0.1

    def forward(self, inputs):
        n = inputs.shape[0]
        self.inputs = np.concatenate([np.ones((n, 1)), inputs], axis=1)
        return self.inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta[:, 1:]

    def update(self):
        self.theta -= self.alpha * self.grad_theta


class SoftmaxCrossEntropy:
    """One-hot targets (N, C)."""

    def __init__(self, factor=1.0):
        self.grad = None
        self.factor = factor

    def forward(self, inputs, targets):
        z = inputs - inputs.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        self.grad = self.factor * (p - targets) / len(inputs)
        return -np.mean(np.sum(targets * np.log(p), axis=1))

    def backward(self):
        return self.grad


class SoftmaxCrossEntropyMinus7(SoftmaxCrossEntropy):
    def __init__(self):
        super().__init__(factor=-7.0)


class SoftmaxCrossEntropyLabels:
    """Integer class labels (N,), used as indices."""

    def __init__(self):
        self.grad = None

    def forward(self, inputs, targets):
        z = inputs - inputs.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        n = len(inputs)
        grad = p.copy()
        grad[np.arange(n), targets] -= 1
        self.grad = grad / n
        return -np.mean(np.log(p[np.arange(n), targets]))

    def backward(self):
        return self.grad


def sigmoid(x):
    return  # WRITE HERE (the student has not filled this blank yet)


class Sigmoid:
    """Written right, on top of the blank sigmoid() above."""

    def __init__(self):
        self.output = None

    def forward(self, inputs):
        self.output = sigmoid(inputs)
        return self.output

    def backward(self, grad):
        return grad * self.output * (1 - self.output)
