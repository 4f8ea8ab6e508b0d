"""A student's fills of the notebook's blanks, written the notebook's way, right and with planted bugs.

Each class is what a student would type into the seed notebook's cells; ``bug`` picks one
planted mistake so that every diagnosis of chainrule.check is shown by a real piece of code.
"""

import numpy as np


def loss_MSE(inputs, targets):
    return np.mean((targets - inputs) ** 2)


def loss_MSE_sum(inputs, targets):
    return np.sum((targets - inputs) ** 2)


class MSELoss:
    def __init__(self, bug=None):
        self.grad = None
        self.bug = bug

    def forward(self, inputs, targets):
        n = len(inputs)
        grad = -2 * (targets - inputs) / n
        if self.bug == "sum":
            grad = -2 * (targets - inputs)
        elif self.bug == "half":
            grad = -(targets - inputs) / n
        elif self.bug == "sign":
            grad = 2 * (targets - inputs) / n
        elif self.bug == "blank":
            grad = None
        self.grad = grad
        return loss_MSE(inputs=inputs, targets=targets)

    def backward(self):
        return self.grad


class Linear2:
    def __init__(self, alpha=0.1, bug=None, seed=0):
        self.theta = np.random.default_rng(seed).random([1, 2])
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha
        self.bug = bug

    def forward(self, inputs):
        if self.bug == "overwrite":
            inputs *= 1.0
            inputs[:, 0] = 1.0
        self.inputs = inputs
        if self.bug == "forward_shape":
            return (inputs @ self.theta.T).reshape(-1)
        return inputs @ self.theta.T

    def backward(self, grad):
        bug = self.bug
        self.grad_theta = grad.T @ self.inputs
        if bug == "double":
            self.grad_theta = 2 * grad.T @ self.inputs
        elif bug == "half":
            self.grad_theta = 0.5 * grad.T @ self.inputs
        elif bug == "sign":
            self.grad_theta = -grad.T @ self.inputs
        elif bug == "upstream":
            self.grad_theta = np.ones_like(grad).T @ self.inputs
        elif bug == "shape":
            self.grad_theta = (grad.T @ self.inputs).ravel()
        elif bug == "transposed_theta":
            self.grad_theta = self.inputs.T @ grad
        elif bug == "blank":
            self.grad_theta = None
        if bug == "transposed":
            return self.theta.T @ grad.T
        if bug == "blank":
            return None
        return grad @ self.theta

    def update(self):
        if self.bug == "no_update":
            return
        if self.bug == "uphill":
            self.theta += self.alpha * self.grad_theta
            return
        self.theta -= self.alpha * self.grad_theta


class Linear3(Linear2):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.theta = np.random.default_rng(1).random([1, 3])

    def forward(self, inputs):
        n = np.shape(inputs)[0]
        self.inputs = np.concatenate([np.ones([n, 1]), inputs], axis=1)
        return self.inputs @ self.theta.T


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_grad(x):
    return sigmoid(x) * (1 - sigmoid(x))


class Sigmoid:
    def __init__(self, bug=None):
        self.output = None
        self.bug = bug

    def forward(self, inputs):
        self.output = sigmoid(inputs)
        return self.output

    def backward(self, grad):
        if self.bug == "upstream":
            return self.output * (1 - self.output)
        if self.bug == "double":
            return 2 * grad * self.output * (1 - self.output)
        return grad * self.output * (1 - self.output)


class BCELoss:
    def __init__(self, epsilon=1e-10, bug=None):
        self.grad = None
        self.epsilon = epsilon
        self.bug = bug

    def forward(self, inputs, targets):
        n = len(inputs)
        eps = self.epsilon
        self.grad = (-targets / (inputs + eps) + (1 - targets) / (1 - inputs + eps)) / n
        if self.bug == "sum":
            self.grad = self.grad * n
        elif self.bug == "half":
            self.grad = self.grad / 2
        return -np.mean(targets * np.log(inputs + eps) + (1 - targets) * np.log(1 - inputs + eps))

    def backward(self):
        return self.grad
