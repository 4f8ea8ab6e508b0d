"""Layers as the other textbook writes them: Affine with W (in, out), dW and db, dout, params dicts.

None of these follow the notebook's names; check() must judge them by what they compute.
"""

import numpy as np


def _weights():
    return np.random.default_rng(7).standard_normal((3, 2))


class Affine:
    def __init__(self):
        self.W, self.b = _weights(), np.zeros(2)
        self.x = self.dW = self.db = None  # set by forward and backward

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = np.sum(dout, axis=0)
        return dout @ self.W.T


class AffineDbAxis1(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = np.sum(dout, axis=1)
        return dx


class AffineSwapped(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = dout.T @ self.x
        return dx


class AffineReturnsDW(Affine):
    def backward(self, dout):
        super().backward(dout)
        return self.dW


class AffineGradSuffix(Affine):
    """W_grad and b_grad, set only by backward."""

    def backward(self, dout):
        self.W_grad = self.x.T @ dout
        self.b_grad = dout.sum(axis=0)
        return dout @ self.W.T


class AffineDict:
    def __init__(self, factor=1.0):
        self.params = {"W": _weights(), "b": np.zeros(2)}
        self.grads = {}
        self.factor = factor

    def forward(self, x):
        self.x = x
        return x @ self.params["W"] + self.params["b"]

    def backward(self, dout):
        self.grads["W"] = self.x.T @ dout
        self.grads["b"] = self.factor * dout.sum(axis=0)
        return dout @ self.params["W"].T


class Linear:
    """PyTorch's layout, weight (out, in), under the name of the notebook's section 1.1 layer."""

    def __init__(self):
        self.weight, self.bias = _weights().T.copy(), np.zeros(2)

    def forward(self, inputs):
        self.inputs = inputs
        return inputs @ self.weight.T + self.bias

    def backward(self, grad):
        self.grad_weight = grad.T @ self.inputs
        self.grad_bias = grad.sum(axis=0)
        return grad @ self.weight
