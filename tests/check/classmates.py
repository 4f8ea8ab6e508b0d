"""Activations and losses as classmates wrote them, right and wrong, for tests/check/test_classmates.py."""

import numpy as np


class SigmoidNoCache:
    """Forgets to keep y in forward: backward fails reading it."""

    def forward(self, x):
        return 1 / (1 + np.exp(-x))

    def backward(self, dout):
        return dout * self.y * (1 - self.y)


class SigmoidNaive:
    """exp(x) / (1 + exp(x)): right near 0, NaN once exp(x) overflows."""

    def forward(self, x):
        self.y = np.exp(x) / (1 + np.exp(x))
        return self.y

    def backward(self, dout):
        return dout * self.y * (1 - self.y)


class SigmoidStable:
    def forward(self, x):
        e = np.exp(-np.abs(x))
        self.y = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
        return self.y

    def backward(self, dout):
        return dout * self.y * (1 - self.y)


def sigmoid_naive(x):
    return np.exp(x) / (1 + np.exp(x))


class SoftmaxWithLoss:
    """backward(dout=1), the other textbook's signature: still a loss, not a layer."""

    def __init__(self, factor=1.0, stable=True):
        self.factor, self.stable = factor, stable

    def forward(self, x, t):
        self.t = t
        z = x - x.max(axis=1, keepdims=True) if self.stable else x
        self.y = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        return -np.sum(t * np.log(self.y)) / len(x)

    def backward(self, dout=1):
        return self.factor * dout * (self.y - self.t) / len(self.t)


class BCELoss:
    """Over probabilities, without epsilon: NaN outside (0, 1) is no bug of its own."""

    def forward(self, inputs, targets):
        self.p, self.t = inputs, targets
        return -np.mean(targets * np.log(inputs) + (1 - targets) * np.log(1 - inputs))

    def backward(self):
        return (self.p - self.t) / (self.p * (1 - self.p)) / len(self.p)


class TanhExtraArgs:
    def forward(self, x, train=True):
        self.y = np.tanh(x)
        return self.y

    def backward(self, dout, scale=1.0):
        return scale * dout * (1 - self.y**2)


class LinearOnTheClass:
    """theta in the class body: every instance trains the same array."""

    theta = np.array([[0.5, -0.3]])
    grad_theta = None
    alpha = 0.1

    def forward(self, inputs):
        self.inputs = inputs
        return inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


class MSELossFloat32:
    """Works in float32 on purpose; ``factor`` plants a bug."""

    def __init__(self, factor=1.0):
        self.factor = factor

    def forward(self, inputs, targets):
        self.diff = (inputs - targets).astype(np.float32)
        return np.mean(self.diff**2)

    def backward(self):
        return self.factor * 2 * self.diff / len(self.diff)


class SigmoidCalled:
    """__call__ where the notebook writes forward."""

    def __call__(self, x):
        self.y = 1 / (1 + np.exp(-x))
        return self.y

    def backward(self, dout):
        return dout * self.y * (1 - self.y)


class SigmoidList(SigmoidCalled):
    def forward(self, x):
        return self(x).tolist()


class TanhCachedOnce:
    """Computes y on the first call only: every later call returns the first batch's answer."""

    def __init__(self):
        self.y = None

    def forward(self, x):
        if self.y is None:
            self.y = np.tanh(x)
        return self.y

    def backward(self, dout):
        return dout * (1 - self.y**2)


class ReLU:
    """np.maximum(1, x): its backward agrees with its own forward, so only the forward is wrong."""

    def __init__(self, floor=0.0):
        self.floor = floor

    def forward(self, x):
        self.mask = x > self.floor
        return np.maximum(self.floor, x)

    def backward(self, dout):
        return dout * self.mask


class ReLUOneRow:
    """Written and tried on one sample: max(0.0, x[0, 0]) drops every other row."""

    def forward(self, x):
        self.x = x
        return np.array([[max(0.0, float(x[0, 0]))]])

    def backward(self, dout):
        return dout * (self.x > 0)


class AffineNeedsWeights:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW, self.db = self.x.T @ dout, dout.sum(axis=0)
        return dout @ self.W.T
