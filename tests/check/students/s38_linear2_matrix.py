"""np.matrix throughout: * is a matrix product there, which this code relies on."""

import numpy as np


class Linear2:
    def __init__(self, alpha=0.1):
        self.theta = np.matrix([[0.3, -0.2]])
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
        self.theta -= self.alpha * self.grad_theta


EXPECT = {"subject": "Linear2", "like": "Linear2", "ok": True}
